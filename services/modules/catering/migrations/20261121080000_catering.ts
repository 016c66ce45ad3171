import type { Knex } from 'knex';

/**
 * Cashless catering (issue 7). Money lives in the ledger; these tables say what it is for:
 * schools with their PIN policy and free-school-meal (FSM) allowance, the school calendar,
 * price lists, tills (readers), pupils' settings and purses, sales (one per tap), refunds,
 * and the FSM day log that makes the daily allowance exact and idempotent.
 * Cardholders are referred to by id only (no foreign key into another room's tables).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    create table catering_schools (
      id uuid primary key,
      name text not null unique,
      pin_policy text not null default 'card' constraint catering_schools_pin_policy check (pin_policy in ('card', 'card+pin')),
      fsm_allowance_pence bigint not null default 0 constraint catering_schools_fsm_allowance check (fsm_allowance_pence >= 0),
      default_daily_limit_pence bigint constraint catering_schools_default_limit check (default_daily_limit_pence >= 0),
      topup_account_id uuid not null references ledger_accounts (id),
      fsm_account_id uuid not null references ledger_accounts (id),
      created_at timestamptz not null default now()
    )`);
  await knex.raw(`
    create table catering_terms (
      school_id uuid not null references catering_schools (id) on delete cascade,
      starts_on date not null,
      ends_on date not null,
      constraint catering_terms_order check (ends_on >= starts_on),
      primary key (school_id, starts_on)
    )`);
  await knex.raw(`
    create table catering_inset_days (
      school_id uuid not null references catering_schools (id) on delete cascade,
      day date not null,
      primary key (school_id, day)
    )`);
  await knex.raw(`
    create table catering_items (
      school_id uuid not null references catering_schools (id) on delete cascade,
      code text not null constraint catering_items_code check (code ~ '^[A-Za-z0-9_-]{1,32}$'),
      name text not null,
      price_pence bigint not null constraint catering_items_price check (price_pence >= 0),
      allergens text[] not null default '{}',
      available boolean not null default true,
      primary key (school_id, code)
    )`);
  await knex.raw(`
    create table catering_tills (
      reader_id text primary key,
      school_id uuid not null references catering_schools (id),
      name text not null,
      takings_account_id uuid not null references ledger_accounts (id)
    )`);
  await knex.raw(`
    create table catering_pupils (
      cardholder_id uuid primary key,
      school_id uuid not null references catering_schools (id),
      daily_limit_pence bigint constraint catering_pupils_daily_limit check (daily_limit_pence >= 0),
      allergens text[] not null default '{}',
      dietary text[] not null default '{}',
      fsm_eligible boolean not null default false,
      purse_account_id uuid not null references ledger_accounts (id),
      fsm_account_id uuid not null references ledger_accounts (id)
    )`);
  // One row per pupil and school day credited; expired_at set once the day's rest went back.
  await knex.raw(`
    create table catering_fsm_days (
      cardholder_id uuid not null references catering_pupils (cardholder_id),
      school_day date not null,
      credited_pence bigint not null,
      expired_pence bigint,
      expired_at timestamptz,
      primary key (cardholder_id, school_day)
    )`);
  await knex.raw(`
    create table catering_sales (
      id uuid primary key,
      tap_id text not null unique,
      cardholder_id uuid not null references catering_pupils (cardholder_id),
      school_id uuid not null references catering_schools (id),
      till_reader_id text not null references catering_tills (reader_id),
      school_day date not null,
      total_pence bigint not null constraint catering_sales_total check (total_pence >= 0),
      fsm_pence bigint not null,
      cash_pence bigint not null,
      fsm_transfer_id uuid references ledger_transfers (id),
      cash_transfer_id uuid references ledger_transfers (id),
      basket jsonb not null,
      created_at timestamptz not null,
      constraint catering_sales_split check (fsm_pence >= 0 and cash_pence >= 0 and fsm_pence + cash_pence = total_pence)
    )`);
  await knex.raw('create index catering_sales_pupil_day on catering_sales (cardholder_id, school_day)');
  await knex.raw('create index catering_sales_till_day on catering_sales (till_reader_id, school_day)');
  await knex.raw(`
    create table catering_refunds (
      id uuid primary key,
      sale_id uuid not null references catering_sales (id),
      idempotency_key text not null unique,
      amount_pence bigint not null constraint catering_refunds_amount check (amount_pence > 0),
      fsm_pence bigint not null,
      cash_pence bigint not null,
      reason text not null,
      staff_id text not null,
      school_day date not null,
      created_at timestamptz not null
    )`);
  await knex.raw('create index catering_refunds_sale on catering_refunds (sale_id)');
}

export async function down(knex: Knex): Promise<void> {
  for (const table of ['catering_refunds', 'catering_sales', 'catering_fsm_days', 'catering_pupils', 'catering_tills', 'catering_items', 'catering_inset_days', 'catering_terms', 'catering_schools']) {
    await knex.raw(`drop table if exists ${table}`);
  }
}
