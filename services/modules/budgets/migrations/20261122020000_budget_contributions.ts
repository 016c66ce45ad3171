import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';

/**
 * Client contributions (issue 7; domain notes section 8: "load net of the client contribution;
 * client can pay in"). A load may carry the client's assessed share of it: the council loads
 * the rest from funding, and the client's payments-in arrive from a second funding account,
 * "client contributions received", so the reconciliation can tell the two sources apart.
 * `down` drops the new table and columns; the ledger account stays (the ledger is append-only).
 */
export async function up(knex: Knex): Promise<void> {
  const accountId = randomUUID();
  await knex('ledger_accounts').insert({ id: accountId, kind: 'funding', currency: 'GBP', floor: null, balance: 0, label: 'devolved budgets: client contributions received', owner_ref: 'budgets' });
  await knex.raw('alter table budget_settings add column contributions_account_id uuid references ledger_accounts (id)');
  await knex('budget_settings').where({ id: 1 }).update({ contributions_account_id: accountId });
  // amount_pence stays what the council loads (net); contribution_pence is the client's share on top.
  await knex.raw('alter table budget_loads add column contribution_pence bigint not null default 0 constraint budget_loads_contribution check (contribution_pence >= 0)');
  await knex.raw(`
    create table budget_contributions (
      id uuid primary key,
      budget_id uuid not null references budgets (id),
      amount_pence bigint not null constraint budget_contributions_amount check (amount_pence > 0),
      idempotency_key text not null unique,
      reference text,
      recorded_by text not null,
      transfer_id uuid not null references ledger_transfers (id),
      created_at timestamptz not null
    )`);
  await knex.raw('create index budget_contributions_budget on budget_contributions (budget_id)');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop table if exists budget_contributions');
  await knex.raw('alter table budget_loads drop column if exists contribution_pence');
  await knex.raw('alter table budget_settings drop column if exists contributions_account_id');
}
