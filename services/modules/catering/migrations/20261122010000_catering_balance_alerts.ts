import type { Knex } from 'knex';

/**
 * Low-balance alerts for parents (issue 7): a threshold per school (the default) and per pupil,
 * and one alert row each time a purchase takes the parents' purse below it. An alert stays open
 * until the purse is seen at or above the threshold again, and at most one is open per pupil
 * (the partial unique index), so a parent is told once per crossing, not on every purchase.
 * The id is a sequence so a poller can ask for "everything after the last one I saw".
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw('alter table catering_schools add column low_balance_threshold_pence bigint constraint catering_schools_low_balance check (low_balance_threshold_pence >= 0)');
  await knex.raw('alter table catering_pupils add column low_balance_threshold_pence bigint constraint catering_pupils_low_balance check (low_balance_threshold_pence >= 0)');
  await knex.raw(`
    create table catering_balance_alerts (
      id bigserial primary key,
      cardholder_id uuid not null references catering_pupils (cardholder_id),
      school_id uuid not null references catering_schools (id),
      sale_id uuid not null references catering_sales (id),
      threshold_pence bigint not null,
      balance_pence bigint not null,
      created_at timestamptz not null,
      resolved_at timestamptz
    )`);
  await knex.raw('create unique index catering_balance_alerts_one_open on catering_balance_alerts (cardholder_id) where resolved_at is null');
  await knex.raw('create index catering_balance_alerts_school on catering_balance_alerts (school_id, id)');
  await knex.raw('create index catering_balance_alerts_pupil on catering_balance_alerts (cardholder_id, id)');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop table if exists catering_balance_alerts');
  await knex.raw('alter table catering_pupils drop column if exists low_balance_threshold_pence');
  await knex.raw('alter table catering_schools drop column if exists low_balance_threshold_pence');
}
