import type { Knex } from 'knex';
import { TesseraError } from '../../../shared/errors/index.js';
import { findRecipient, getBudget, pence, type Budget } from './budget-store.js';
import { addLoadIn, createBudgetIn, loadOf, type Load } from './budgets.js';

export interface CreateBudgetRequest {
  /** A cardholder id or reference (TH-000123). */
  readonly recipient: string;
  readonly periodStart: string;
  readonly periodEnd: string;
  readonly categories: readonly string[];
  /** The budget for the period (the cost of care), before any client contribution. */
  readonly amountPence: number;
  /** The client's assessed share: the council loads amountPence minus this, the client pays it in. */
  readonly contributionPence?: number | undefined;
}

/** A load net of the client's contribution; the contribution must leave the council something to load. */
export function netOf(amountPence: number, contributionPence = 0): { netPence: number; contributionPence: number } {
  if (contributionPence >= amountPence) {
    throw new TesseraError('ERR_BUDGET_INVALID', `contributionPence (${contributionPence}) must be less than amountPence (${amountPence})`, { field: 'contributionPence' });
  }
  return { netPence: amountPence - contributionPence, contributionPence };
}

interface Actor {
  readonly staffId: string;
  readonly idempotencyKey: string;
  readonly now: Date;
  readonly thresholdPence: number;
}

/**
 * One budget with its first load, under the caller's Idempotency-Key: the same key and body
 * answer the first result; the same key with another body is refused.
 */
export async function createBudget(db: Knex, request: CreateBudgetRequest, actor: Actor): Promise<{ budget: Budget; load: Load; replayed: boolean }> {
  const { netPence, contributionPence } = netOf(request.amountPence, request.contributionPence);
  const recipient = await findRecipient(db, request.recipient);
  if (!recipient) throw new TesseraError('ERR_BUDGET_RECIPIENT_UNKNOWN', `No care recipient ${request.recipient}`, { field: 'recipient' });
  return db.transaction(async (trx) => {
    const earlier = await trx('budgets').where({ creation_key: actor.idempotencyKey }).first('id');
    if (earlier) {
      const budget = await getBudget(trx, earlier.id);
      const load = await trx('budget_loads').where({ idempotency_key: `create:${actor.idempotencyKey}` }).first();
      const same =
        budget.cardholderId === recipient.id && budget.periodStart === request.periodStart && budget.periodEnd === request.periodEnd &&
        budget.categories.join(',') === [...new Set(request.categories)].sort().join(',') && pence(load.amount_pence) === netPence && pence(load.contribution_pence) === contributionPence;
      if (!same) throw new TesseraError('ERR_IDEMPOTENCY_MISMATCH', 'This idempotency key was already used to create another budget');
      return { budget, load: loadOf(load), replayed: true };
    }
    const budget = await createBudgetIn(trx, { cardholderId: recipient.id, periodStart: request.periodStart, periodEnd: request.periodEnd, categories: request.categories }, { staffId: actor.staffId, creationKey: actor.idempotencyKey, now: actor.now });
    // The second approver guards the council's money: the net load is what counts against the threshold.
    const load = await addLoadIn(trx, budget, netPence, { staffId: actor.staffId, idempotencyKey: `create:${actor.idempotencyKey}`, now: actor.now, needsApproval: netPence > actor.thresholdPence, contributionPence });
    return { budget: await getBudget(trx, budget.id), load, replayed: false };
  });
}

/** A further load onto a budget (net of the client's contribution, if any), under the caller's Idempotency-Key. */
export async function loadBudget(db: Knex, budgetId: string, amount: number | { amountPence: number; contributionPence?: number | undefined }, actor: Actor): Promise<{ load: Load; replayed: boolean }> {
  const request = typeof amount === 'number' ? { amountPence: amount } : amount;
  const { netPence, contributionPence } = netOf(request.amountPence, request.contributionPence);
  return db.transaction(async (trx) => {
    const key = `single:${actor.idempotencyKey}`;
    const earlier = await trx('budget_loads').where({ idempotency_key: key }).first();
    if (earlier) {
      if (earlier.budget_id !== budgetId.toLowerCase() || pence(earlier.amount_pence) !== netPence || pence(earlier.contribution_pence) !== contributionPence) {
        throw new TesseraError('ERR_IDEMPOTENCY_MISMATCH', 'This idempotency key was already used for another load');
      }
      return { load: loadOf(earlier), replayed: true };
    }
    const budget = await getBudget(trx, budgetId, { lock: true });
    const load = await addLoadIn(trx, budget, netPence, { staffId: actor.staffId, idempotencyKey: key, now: actor.now, needsApproval: netPence > actor.thresholdPence, contributionPence });
    return { load, replayed: false };
  });
}
