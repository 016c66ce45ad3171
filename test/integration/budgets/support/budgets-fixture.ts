import type { Knex } from 'knex';
import { budgetsModule } from '../../../../services/modules/budgets/index.js';
import { createBudget } from '../../../../services/modules/budgets/single-loads.js';
import { createProvider, putTerminal } from '../../../../services/modules/budgets/providers.js';
import { sharedTestDatabase, type TestDatabase } from '../../../support/test-database.js';
import { addCardholder, tapOf } from '../../catering/support/module-harness.js';

export const budgetsMigrations = { extraDirectories: [budgetsModule.migrationsDirectory!] };

export function budgetsDatabase(): Promise<TestDatabase> {
  return sharedTestDatabase(budgetsMigrations);
}

let counter = 0;

/** An approved provider for personal care and transport, with one terminal. */
export async function providerWithTerminal(knex: Knex, categories = ['personal-care', 'transport']) {
  const provider = await createProvider(knex, { name: `Provider ${++counter} ${Math.random().toString(36).slice(2)}`, categories }, 'finance-1');
  const readerId = `terminal-${Math.random().toString(36).slice(2)}`;
  await putTerminal(knex, readerId, provider.id, 'finance-1');
  return { provider, readerId };
}

/** A care recipient with a budget for December 2026 (4 weeks), loaded with `amountPence`. */
export async function recipientWithBudget(knex: Knex, amountPence: number, categories = ['personal-care']) {
  const recipient = await addCardholder(knex, 'care_recipient');
  const { budget } = await createBudget(
    knex,
    { recipient: recipient.reference, periodStart: '2026-12-01', periodEnd: '2026-12-28', categories, amountPence },
    { staffId: 'finance-1', idempotencyKey: `fixture-${recipient.id}`, now: new Date('2026-11-25T10:00:00Z'), thresholdPence: 10_000_000 },
  );
  return { recipient, budget };
}

export function spendTap(readerId: string, cardholderId: string, amountPence: number, category: string, at: Date, extra: { id?: string } = {}) {
  return tapOf({ purpose: 'budget.spend', readerId, cardholderId, payload: { amountPence, category }, at, assurance: 'card+pin', ...extra });
}
