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
  readonly amountPence: number;
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
  const recipient = await findRecipient(db, request.recipient);
  if (!recipient) throw new TesseraError('ERR_BUDGET_RECIPIENT_UNKNOWN', `No care recipient ${request.recipient}`, { field: 'recipient' });
  return db.transaction(async (trx) => {
    const earlier = await trx('budgets').where({ creation_key: actor.idempotencyKey }).first('id');
    if (earlier) {
      const budget = await getBudget(trx, earlier.id);
      const load = await trx('budget_loads').where({ idempotency_key: `create:${actor.idempotencyKey}` }).first();
      const same =
        budget.cardholderId === recipient.id && budget.periodStart === request.periodStart && budget.periodEnd === request.periodEnd &&
        budget.categories.join(',') === [...new Set(request.categories)].sort().join(',') && pence(load.amount_pence) === request.amountPence;
      if (!same) throw new TesseraError('ERR_IDEMPOTENCY_MISMATCH', 'This idempotency key was already used to create another budget');
      return { budget, load: loadOf(load), replayed: true };
    }
    const budget = await createBudgetIn(trx, { cardholderId: recipient.id, periodStart: request.periodStart, periodEnd: request.periodEnd, categories: request.categories }, { staffId: actor.staffId, creationKey: actor.idempotencyKey, now: actor.now });
    const load = await addLoadIn(trx, budget, request.amountPence, { staffId: actor.staffId, idempotencyKey: `create:${actor.idempotencyKey}`, now: actor.now, needsApproval: request.amountPence > actor.thresholdPence });
    return { budget: await getBudget(trx, budget.id), load, replayed: false };
  });
}

/** A further load onto a budget, under the caller's Idempotency-Key. */
export async function loadBudget(db: Knex, budgetId: string, amountPence: number, actor: Actor): Promise<{ load: Load; replayed: boolean }> {
  return db.transaction(async (trx) => {
    const key = `single:${actor.idempotencyKey}`;
    const earlier = await trx('budget_loads').where({ idempotency_key: key }).first();
    if (earlier) {
      if (earlier.budget_id !== budgetId.toLowerCase() || pence(earlier.amount_pence) !== amountPence) {
        throw new TesseraError('ERR_IDEMPOTENCY_MISMATCH', 'This idempotency key was already used for another load');
      }
      return { load: loadOf(earlier), replayed: true };
    }
    const budget = await getBudget(trx, budgetId, { lock: true });
    const load = await addLoadIn(trx, budget, amountPence, { staffId: actor.staffId, idempotencyKey: key, now: actor.now, needsApproval: amountPence > actor.thresholdPence });
    return { load, replayed: false };
  });
}
