import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';

/**
 * Devolved budgets (issue 7). Money lives in the ledger: one funding account for the council's
 * side, one budget account per budget, one provider account per approved provider. These
 * tables say who, when and what for. Cardholders are referred to by id only.
 * `down` drops the tables; ledger accounts are never deleted (the ledger is append-only).
 */
export async function up(knex: Knex): Promise<void> {
  const fundingId = randomUUID();
  await knex('ledger_accounts').insert({ id: fundingId, kind: 'funding', currency: 'GBP', floor: null, balance: 0, label: 'devolved budgets: council funding', owner_ref: 'budgets' });
  await knex.raw(`create table budget_settings (id int primary key check (id = 1), funding_account_id uuid not null references ledger_accounts (id))`);
  await knex('budget_settings').insert({ id: 1, funding_account_id: fundingId });
  await knex.raw(`
    create table budget_providers (
      id uuid primary key,
      name text not null unique,
      categories text[] not null,
      status text not null default 'approved' constraint budget_providers_status check (status in ('approved', 'suspended')),
      account_id uuid not null references ledger_accounts (id),
      created_at timestamptz not null default now()
    )`);
  await knex.raw(`
    create table budget_terminals (
      reader_id text primary key,
      provider_id uuid not null references budget_providers (id)
    )`);
  // A recipient's cards may be put on hold for budgets (misuse, a lost card reported) without touching other modules.
  await knex.raw(`
    create table budget_recipients (
      cardholder_id uuid primary key,
      on_hold boolean not null default false
    )`);
  await knex.raw(`
    create table budgets (
      id uuid primary key,
      cardholder_id uuid not null references budget_recipients (cardholder_id),
      period_start date not null,
      period_end date not null,
      categories text[] not null,
      account_id uuid not null references ledger_accounts (id),
      status text not null default 'open' constraint budgets_status check (status in ('open', 'closed')),
      creation_key text unique,
      created_by text not null,
      created_at timestamptz not null,
      closed_at timestamptz,
      clawback_transfer_id uuid references ledger_transfers (id),
      clawback_pence bigint,
      constraint budgets_period check (period_end >= period_start),
      unique (cardholder_id, period_start)
    )`);
  await knex.raw(`
    create table budget_uploads (
      id uuid primary key,
      sha256 text not null unique,
      rows jsonb not null,
      row_count int not null,
      total_pence bigint not null,
      status text not null constraint budget_uploads_status check (status in ('applied', 'pending')),
      uploaded_by text not null,
      approved_by text,
      created_at timestamptz not null,
      applied_at timestamptz
    )`);
  await knex.raw(`
    create table budget_loads (
      id uuid primary key,
      budget_id uuid not null references budgets (id),
      amount_pence bigint not null constraint budget_loads_amount check (amount_pence > 0),
      idempotency_key text not null unique,
      status text not null constraint budget_loads_status check (status in ('applied', 'pending')),
      upload_id uuid references budget_uploads (id),
      requested_by text not null,
      approved_by text,
      transfer_id uuid references ledger_transfers (id),
      created_at timestamptz not null,
      applied_at timestamptz
    )`);
  await knex.raw(`
    create table budget_spends (
      id uuid primary key,
      tap_id text not null unique,
      budget_id uuid not null references budgets (id),
      provider_id uuid not null references budget_providers (id),
      reader_id text not null,
      category text not null,
      amount_pence bigint not null,
      transfer_id uuid not null references ledger_transfers (id),
      created_at timestamptz not null
    )`);
  await knex.raw('create index budget_spends_budget on budget_spends (budget_id)');
}

export async function down(knex: Knex): Promise<void> {
  for (const table of ['budget_spends', 'budget_loads', 'budget_uploads', 'budgets', 'budget_recipients', 'budget_terminals', 'budget_providers', 'budget_settings']) {
    await knex.raw(`drop table if exists ${table}`);
  }
}
