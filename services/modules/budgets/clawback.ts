import type { Knex } from 'knex';
import { appendAudit, type AuditActor } from '../../../shared/audit/index.js';
import { TesseraError } from '../../../shared/errors/index.js';
import { balanceOf, transfer } from '../../../shared/ledger/index.js';
import { BUDGETS_MODULE, fundingAccountId, getBudget, localDate, type Budget } from './budget-store.js';

/** A finance staff member's id from a route, or another actor (an operator at the CLI, from cron). */
export type ClawbackActor = string | AuditActor;

/**
 * At period end, what is left on a budget goes back to the funding account and the budget
 * closes. Only after the period (in the organisation's time zone) has ended; a second call
 * answers the first (the budget id is the ledger key).
 */
export async function clawBack(db: Knex, budgetId: string, by: ClawbackActor, now: Date, timeZone: string): Promise<Budget> {
  const actor: AuditActor = typeof by === 'string' ? { kind: 'staff', id: by } : by;
  // The transfer names a staff member only when one acted; the audit names whoever did.
  const staffId = actor.kind === 'staff' ? actor.id : null;
  return db.transaction(async (trx) => {
    const budget = await getBudget(trx, budgetId, { lock: true });
    if (budget.status === 'closed') return budget;
    const today = localDate(now, timeZone);
    if (today <= budget.periodEnd) throw new TesseraError('ERR_BUDGET_PERIOD_OPEN', `The period runs until ${budget.periodEnd}`, { budgetId: budget.id, periodEnd: budget.periodEnd });
    const rest = await balanceOf(trx, budget.accountId);
    let transferId: string | null = null;
    if (rest > 0) {
      const { result } = await transfer(
        trx,
        {
          idempotencyKey: `budgets:clawback:${budget.id}`,
          debitAccountId: budget.accountId,
          creditAccountId: await fundingAccountId(trx),
          amount: rest,
          currency: 'GBP',
          reason: `clawback of unspent budget ${budget.periodStart}..${budget.periodEnd}`,
          module: BUDGETS_MODULE,
          staffId,
          metadata: { budgetId: budget.id },
        },
        { now: () => now },
      );
      transferId = result.transfer.id;
    }
    await trx('budgets').where({ id: budget.id }).update({ status: 'closed', closed_at: now, clawback_pence: rest, clawback_transfer_id: transferId });
    await appendAudit(trx, { actor, action: 'budget.clawback', subject: { kind: 'budget', id: budget.id }, details: { amountPence: rest, cardholderId: budget.cardholderId }, at: now });
    return getBudget(trx, budget.id);
  });
}

/** Claws back every open budget whose period has ended; one transaction each, so a stop half-way is finished by the next run. */
export async function clawBackEnded(db: Knex, by: ClawbackActor, now: Date, timeZone: string): Promise<{ closed: number; clawedBackPence: number }> {
  const today = localDate(now, timeZone);
  const ended = (await db('budgets').where({ status: 'open' }).andWhere('period_end', '<', today).select('id').orderBy('id')) as { id: string }[];
  let clawedBackPence = 0;
  for (const { id } of ended) clawedBackPence += (await clawBack(db, id, by, now, timeZone)).clawbackPence ?? 0;
  return { closed: ended.length, clawedBackPence };
}
