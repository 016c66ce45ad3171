import type { Knex } from 'knex';

/**
 * The double-entry ledger (docs/ledger.md). Money is bigint minor units (pence). An account's
 * balance is credits minus debits; a transfer moves `amount` from its debit account to its
 * credit account and writes two entries (−amount, +amount) carrying the running balance.
 * The floor is enforced here, by a CHECK, so it holds whichever process writes.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    create table ledger_accounts (
      id uuid primary key,
      kind text not null
        constraint ledger_accounts_kind check (kind in ('purse', 'budget', 'provider', 'till_takings', 'funding', 'suspense')),
      currency text not null constraint ledger_accounts_currency check (currency ~ '^[A-Z]{3}$'),
      floor bigint,
      balance bigint not null default 0,
      label text,
      owner_ref text,
      created_at timestamptz not null default now(),
      constraint ledger_accounts_balance_above_floor check (floor is null or balance >= floor)
    )`);
  await knex.raw('create index ledger_accounts_owner_ref on ledger_accounts (owner_ref) where owner_ref is not null');

  await knex.raw(`
    create table ledger_transfers (
      id uuid primary key,
      debit_account_id uuid not null references ledger_accounts (id),
      credit_account_id uuid not null references ledger_accounts (id),
      amount bigint not null constraint ledger_transfers_amount_positive check (amount > 0),
      currency text not null,
      reason text not null constraint ledger_transfers_reason check (length(reason) between 1 and 500),
      module text not null constraint ledger_transfers_module check (length(module) between 1 and 64),
      tap_id text,
      staff_id text,
      reverses_transfer_id uuid references ledger_transfers (id),
      metadata jsonb,
      created_at timestamptz not null,
      constraint ledger_transfers_two_accounts check (debit_account_id <> credit_account_id)
    )`);
  await knex.raw('create index ledger_transfers_reverses on ledger_transfers (reverses_transfer_id) where reverses_transfer_id is not null');
  await knex.raw('create index ledger_transfers_tap on ledger_transfers (tap_id) where tap_id is not null');

  // amount < 0 debits the account, > 0 credits it; balance_after is the account's running balance.
  await knex.raw(`
    create table ledger_entries (
      id bigint generated always as identity primary key,
      transfer_id uuid not null references ledger_transfers (id),
      account_id uuid not null references ledger_accounts (id),
      amount bigint not null constraint ledger_entries_amount_nonzero check (amount <> 0),
      balance_after bigint not null
    )`);
  await knex.raw('create index ledger_entries_account on ledger_entries (account_id, id)');
  await knex.raw('create index ledger_entries_transfer on ledger_entries (transfer_id)');

  // One row per applied money-moving request: the same key with the same body replays its transfer.
  await knex.raw(`
    create table ledger_idempotency (
      key text primary key constraint ledger_idempotency_key check (length(key) between 1 and 255),
      request_hash text not null,
      transfer_id uuid not null references ledger_transfers (id),
      created_at timestamptz not null
    )`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop table ledger_idempotency');
  await knex.raw('drop table ledger_entries');
  await knex.raw('drop table ledger_transfers');
  await knex.raw('drop table ledger_accounts');
}
