import type { Knex } from 'knex';

/**
 * Meal times (issue 7): a school may define its sittings (breakfast 07:30-09:00, lunch
 * 11:45-13:30 ...) in the organisation's time zone, each with an optional spend limit and a
 * flag saying whether free school meal money may be spent in it. Times are kept as 'HH:MM'
 * text, not `time`, so they compare as strings and come back the same from pg and PGlite.
 * A sale remembers its meal time so the meal-time limit can count what was already spent in it.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    create table catering_meal_times (
      school_id uuid not null references catering_schools (id) on delete cascade,
      name text not null constraint catering_meal_times_name check (name ~ '^[a-z][a-z0-9-]{0,31}$'),
      starts_at text not null constraint catering_meal_times_starts check (starts_at ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$'),
      ends_at text not null constraint catering_meal_times_ends check (ends_at ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$|^24:00$'),
      limit_pence bigint constraint catering_meal_times_limit check (limit_pence >= 0),
      fsm boolean not null default false,
      constraint catering_meal_times_order check (ends_at > starts_at),
      primary key (school_id, name)
    )`);
  await knex.raw('alter table catering_sales add column meal_time text');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('alter table catering_sales drop column if exists meal_time');
  await knex.raw('drop table if exists catering_meal_times');
}
