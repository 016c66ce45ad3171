import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { appendAudit, type AuditActor } from '../../../shared/audit/index.js';
import { TesseraError } from '../../../shared/errors/index.js';
import { openAccount, transfer } from '../../../shared/ledger/index.js';
import { BUDGETS_MODULE, CATEGORY_PATTERN, fundingAccountId, getBudget, pence, type Budget } from './budget-store.js';

/** Finance creates budgets and loads them; a load above the threshold waits for a second finance approver. */
export interface BudgetInput {
  readonly cardholderId: string;
  readonly periodStart: string;
  readonly periodEnd: string;
  readonly categories: readonly string[];
}

export interface Load {
  readonly id: string;
  readonly budgetId: string;
  /** What the council loads from funding: net of the client's contribution. */
  readonly amountPence: number;
  /** The client's assessed share of this load, which they pay in themselves (0 for none). */
  readonly contributionPence: number;
  readonly status: 'applied' | 'pending';
  readonly requestedBy: string;
  readonly approvedBy: string | null;
  readonly transferId: string | null;
}

const staff = (id: string) => ({ kind: 'staff' as const, id });

export function checkBudgetInput(input: BudgetInput): string | undefined {
  if (input.periodEnd < input.periodStart) return 'periodEnd is before periodStart';
  if (input.categories.length === 0) return 'a budget needs at least one allowed category';
  const bad = input.categories.find((c) => !CATEGORY_PATTERN.test(c));
  return bad === undefined ? undefined : `category ${bad} must be lower-case letters, digits and hyphens`;
}

/** Opens a budget (and its ledger account) for a recipient; periods of one recipient never overlap. */
export async function createBudgetIn(trx: Knex.Transaction, input: BudgetInput, by: { staffId: string; creationKey: string | null; now: Date; actor?: AuditActor }): Promise<Budget> {
  const problem = checkBudgetInput(input);
  if (problem) throw new TesseraError('ERR_BUDGET_INVALID', problem);
  await trx.raw('insert into budget_recipients (cardholder_id) values (?) on conflict do nothing', [input.cardholderId]);
  // Lock the recipient so two requests cannot both pass the overlap check.
  await trx('budget_recipients').where({ cardholder_id: input.cardholderId }).forUpdate().first();
  const overlap = await trx('budgets')
    .where({ cardholder_id: input.cardholderId })
    .andWhere('period_start', '<=', input.periodEnd)
    .andWhere('period_end', '>=', input.periodStart)
    .first('id');
  if (overlap) throw new TesseraError('ERR_BUDGET_CONFLICT', `The recipient already has a budget overlapping ${input.periodStart}..${input.periodEnd}`, { budgetId: overlap.id });
  const id = randomUUID();
  const account = await openAccount(trx, { kind: 'budget', label: `budget ${input.periodStart}..${input.periodEnd}`, ownerRef: input.cardholderId });
  await trx('budgets').insert({
    id,
    cardholder_id: input.cardholderId,
    period_start: input.periodStart,
    period_end: input.periodEnd,
    categories: [...new Set(input.categories)].sort(),
    account_id: account.id,
    creation_key: by.creationKey,
    created_by: by.staffId,
    created_at: by.now,
  });
  await appendAudit(trx, { actor: by.actor ?? staff(by.staffId), action: 'budget.create', subject: { kind: 'cardholder', id: input.cardholderId }, details: { budgetId: id, ...input }, at: by.now });
  return getBudget(trx, id);
}

/**
 * Records a load; applies it at once unless it is above the threshold, when it waits for a second
 * approver. `amountPence` is what the council loads (net); a client contribution on top is only
 * recorded here, and becomes due once the load is applied (contributions.ts).
 */
export async function addLoadIn(
  trx: Knex.Transaction,
  budget: Budget,
  amountPence: number,
  by: { staffId: string; idempotencyKey: string; uploadId?: string | null; now: Date; needsApproval: boolean; actor?: AuditActor; contributionPence?: number },
): Promise<Load> {
  if (budget.status === 'closed') throw new TesseraError('ERR_BUDGET_CONFLICT', 'The budget is closed', { budgetId: budget.id });
  const contributionPence = by.contributionPence ?? 0;
  const id = randomUUID();
  await trx('budget_loads').insert({
    id,
    budget_id: budget.id,
    amount_pence: amountPence,
    contribution_pence: contributionPence,
    idempotency_key: by.idempotencyKey,
    status: 'pending',
    upload_id: by.uploadId ?? null,
    requested_by: by.staffId,
    created_at: by.now,
  });
  await appendAudit(trx, { actor: by.actor ?? staff(by.staffId), action: 'budget.load', subject: { kind: 'budget', id: budget.id }, details: { loadId: id, amountPence, contributionPence, needsApproval: by.needsApproval }, at: by.now });
  if (!by.needsApproval) await applyLoadIn(trx, id, budget, by.staffId, by.now);
  return getLoad(trx, id);
}

/** Moves the money of a recorded load from the funding account; the load id is the ledger key. */
export async function applyLoadIn(trx: Knex.Transaction, loadId: string, budget: Budget, approvedBy: string | null, now: Date): Promise<void> {
  const load = await getLoad(trx, loadId);
  const { result } = await transfer(
    trx,
    {
      idempotencyKey: `budgets:load:${loadId}`,
      debitAccountId: await fundingAccountId(trx),
      creditAccountId: budget.accountId,
      amount: load.amountPence,
      currency: 'GBP',
      reason: `budget load ${budget.periodStart}..${budget.periodEnd}`,
      module: BUDGETS_MODULE,
      staffId: approvedBy ?? load.requestedBy,
      metadata: { budgetId: budget.id, loadId },
    },
    { now: () => now },
  );
  await trx('budget_loads').where({ id: loadId }).update({ status: 'applied', transfer_id: result.transfer.id, applied_at: now, approved_by: approvedBy });
}

/** The second finance approver applies a pending load; the requester cannot approve their own. */
export async function approveLoad(db: Knex, loadId: string, staffId: string, now: Date): Promise<Load> {
  return db.transaction(async (trx) => {
    const row = /^[0-9a-f-]{36}$/i.test(loadId) ? await trx('budget_loads').where({ id: loadId.toLowerCase() }).forUpdate().first() : undefined;
    if (!row) throw new TesseraError('ERR_BUDGET_LOAD_NOT_FOUND', `No load ${loadId}`, { loadId });
    if (row.status === 'applied') return loadOf(row);
    if (row.upload_id) throw new TesseraError('ERR_BUDGET_CONFLICT', 'This load is part of a CSV upload; approve the upload', { uploadId: row.upload_id });
    if (row.requested_by === staffId) throw new TesseraError('ERR_BUDGET_SELF_APPROVAL', 'Another member of finance staff must approve this load');
    const budget = await getBudget(trx, row.budget_id, { lock: true });
    if (budget.status === 'closed') throw new TesseraError('ERR_BUDGET_CONFLICT', 'The budget is closed', { budgetId: budget.id });
    await applyLoadIn(trx, row.id, budget, staffId, now);
    await appendAudit(trx, { actor: staff(staffId), action: 'budget.load-approve', subject: { kind: 'budget', id: budget.id }, details: { loadId: row.id, amountPence: pence(row.amount_pence), requestedBy: row.requested_by }, at: now });
    return getLoad(trx, row.id);
  });
}

export async function getLoad(db: Knex, id: string): Promise<Load> {
  const row = await db('budget_loads').where({ id }).first();
  if (!row) throw new TesseraError('ERR_BUDGET_LOAD_NOT_FOUND', `No load ${id}`, { loadId: id });
  return loadOf(row);
}

export function loadOf(row: Record<string, unknown>): Load {
  return {
    id: String(row.id),
    budgetId: String(row.budget_id),
    amountPence: pence(row.amount_pence),
    contributionPence: pence(row.contribution_pence ?? 0),
    status: row.status as Load['status'],
    requestedBy: String(row.requested_by),
    approvedBy: (row.approved_by as string | null) ?? null,
    transferId: (row.transfer_id as string | null) ?? null,
  };
}
