import { systemActor } from '../../../shared/audit/index.js';
import type { ModuleContext } from '../../../shared/modules/index.js';
import { localDate } from './budget-store.js';
import { addLoadIn, createBudgetIn } from './budgets.js';
import { createProvider, putTerminal } from './providers.js';

const DEMO_PROVIDER = 'Helping Hands Home Care';

/**
 * Demo data for the embedded default: two approved providers (home care; community
 * transport), every active terminal reader given to the first, and a four-week budget of £400
 * from today for each demo care recipient. Does nothing once the first provider exists.
 */
export async function seedBudgetsDemo(ctx: ModuleContext): Promise<void> {
  const knex = ctx.knex;
  if (await knex('budget_providers').where({ name: DEMO_PROVIDER }).first('id')) return;
  const actor = systemActor('budgets-demo');
  const care = await createProvider(knex, { name: DEMO_PROVIDER, categories: ['personal-care'] }, actor);
  await createProvider(knex, { name: 'Community Transport', categories: ['transport'] }, actor);
  const terminals = (await knex('readers').where({ kind: 'terminal', status: 'active' }).orderBy('name').select('id')) as { id: string }[];
  for (const { id } of terminals) await putTerminal(knex, id, care.id, actor);
  const now = ctx.now();
  const start = localDate(now, ctx.timeZone);
  const end = localDate(new Date(now.getTime() + 27 * 86_400_000 + 12 * 3_600_000), ctx.timeZone);
  const recipients = (await knex('cardholders').where({ kind: 'care_recipient', status: 'active' }).orderBy('reference').select('id')) as { id: string }[];
  for (const { id } of recipients) {
    await knex.transaction(async (trx) => {
      const budget = await createBudgetIn(trx, { cardholderId: id, periodStart: start, periodEnd: end, categories: ['personal-care', 'transport'] }, { staffId: 'budgets-demo', creationKey: `demo:${id}`, now, actor });
      await addLoadIn(trx, budget, 40_000, { staffId: 'budgets-demo', idempotencyKey: `demo:${id}`, now, needsApproval: false, actor });
    });
  }
}
