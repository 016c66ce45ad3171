import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { appendAudit } from '../../../shared/audit/index.js';
import { TesseraError } from '../../../shared/errors/index.js';
import { transfer } from '../../../shared/ledger/index.js';
import { BUDGETS_MODULE, contributionsAccountId, getBudget, pence } from './budget-store.js';

/**
 * The client's own contribution (domain notes section 8): a load may be net of the client's
 * assessed share, which the client then pays in (by bank transfer or at a pay point, recorded
 * through finance's payment integration). A payment-in moves money from the "client
 * contributions received" account into the budget. It is idempotent under the caller's key,
 * refused on a closed budget, and never more than is still due, so the budget holds exactly
 * what the council loaded plus what the client paid.
 */
export interface Contribution {
  readonly id: string;
  readonly budgetId: string;
  readonly amountPence: number;
  readonly reference: string | null;
  readonly recordedBy: string;
  readonly transferId: string;
  readonly createdAt: string;
}

export interface ContributionSummary {
  /** The client's share of every applied load. */
  readonly duePence: number;
  readonly paidPence: number;
  readonly outstandingPence: number;
}

export interface ContributionInput {
  readonly budgetId: string;
  readonly amountPence: number;
  readonly reference?: string | undefined;
  readonly idempotencyKey: string;
  readonly staffId: string;
}

export async function payContribution(db: Knex, input: ContributionInput, now: Date): Promise<{ contribution: Contribution; replayed: boolean }> {
  return db.transaction(async (trx) => {
    const earlier = await trx('budget_contributions').where({ idempotency_key: input.idempotencyKey }).first();
    if (earlier) {
      const same = earlier.budget_id === input.budgetId.toLowerCase() && pence(earlier.amount_pence) === input.amountPence && (earlier.reference ?? undefined) === input.reference;
      if (!same) throw new TesseraError('ERR_IDEMPOTENCY_MISMATCH', 'This idempotency key was already used for another contribution');
      return { contribution: contributionOf(earlier), replayed: true };
    }
    // The budget row lock orders this against other payments-in, loads and the clawback.
    const budget = await getBudget(trx, input.budgetId, { lock: true });
    if (budget.status === 'closed') throw new TesseraError('ERR_BUDGET_CONFLICT', 'The budget is closed: its period ended and it was clawed back', { budgetId: budget.id });
    const { outstandingPence } = await contributionSummary(trx, budget.id);
    if (input.amountPence > outstandingPence) {
      throw new TesseraError('ERR_BUDGET_CONTRIBUTION_EXCEEDS_DUE', `At most ${outstandingPence} pence of the client contribution is outstanding`, { budgetId: budget.id, outstandingPence, field: 'amountPence' });
    }
    const id = randomUUID();
    const { result } = await transfer(
      trx,
      {
        idempotencyKey: `budgets:contribution:${id}`,
        debitAccountId: await contributionsAccountId(trx),
        creditAccountId: budget.accountId,
        amount: input.amountPence,
        currency: 'GBP',
        reason: `client contribution ${budget.periodStart}..${budget.periodEnd}`,
        module: BUDGETS_MODULE,
        staffId: input.staffId,
        metadata: { budgetId: budget.id, contributionId: id, reference: input.reference ?? null },
      },
      { now: () => now },
    );
    const [row] = await trx('budget_contributions')
      .insert({ id, budget_id: budget.id, amount_pence: input.amountPence, idempotency_key: input.idempotencyKey, reference: input.reference ?? null, recorded_by: input.staffId, transfer_id: result.transfer.id, created_at: now })
      .returning('*');
    await appendAudit(trx, {
      actor: { kind: 'staff', id: input.staffId },
      action: 'budget.contribution',
      subject: { kind: 'budget', id: budget.id },
      details: { contributionId: id, amountPence: input.amountPence, reference: input.reference ?? null, cardholderId: budget.cardholderId },
      at: now,
    });
    return { contribution: contributionOf(row), replayed: false };
  });
}

/** What the client owes on a budget: their share of each applied load, less what they paid in. */
export async function contributionSummary(db: Knex, budgetId: string): Promise<ContributionSummary> {
  const row = (await db.raw(
    `select coalesce((select sum(contribution_pence) from budget_loads where budget_id = ? and status = 'applied'), 0) as due,
            coalesce((select sum(amount_pence) from budget_contributions where budget_id = ?), 0) as paid`,
    [budgetId, budgetId],
  )).rows[0] as { due: unknown; paid: unknown };
  const [duePence, paidPence] = [pence(row.due), pence(row.paid)];
  return { duePence, paidPence, outstandingPence: duePence - paidPence };
}

export async function contributionsOf(db: Knex, budgetId: string): Promise<Contribution[]> {
  return ((await db('budget_contributions').where({ budget_id: budgetId }).orderBy('created_at')) as Record<string, unknown>[]).map(contributionOf);
}

function contributionOf(row: Record<string, unknown>): Contribution {
  return {
    id: String(row.id),
    budgetId: String(row.budget_id),
    amountPence: pence(row.amount_pence),
    reference: (row.reference as string | null) ?? null,
    recordedBy: String(row.recorded_by),
    transferId: String(row.transfer_id),
    createdAt: new Date(row.created_at as string).toISOString(),
  };
}
