import type { Knex } from 'knex';

/**
 * Who may open what, when. A schedule is a set of weekly intervals of local wall time (plus
 * intervals for holidays, which replace the weekday's on the listed dates); a group opens the
 * zones it lists during its schedule (none: at all times). Memberships are kept against the
 * cardholder, never a card, so a replacement card keeps its access; a membership with an end
 * is temporary access (visitors, contractors) and lapses by itself.
 * A group may be a lockdown override group (named when a lockdown starts) or an emergency group
 * (still admitted by a door whose offline allow-list has expired).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('access_schedules', (t) => {
    t.uuid('id').primary();
    t.text('name').notNullable().unique();
    t.timestamp('created_at', { useTz: true }).notNullable();
  });
  await knex.schema.createTable('access_schedule_intervals', (t) => {
    t.increments('id');
    t.uuid('schedule_id').notNullable().references('id').inTable('access_schedules').onDelete('CASCADE');
    t.text('day').notNullable().checkIn(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun', 'holiday'], 'access_schedule_intervals_day_check');
    /** Minutes after local midnight, start inclusive, end exclusive (1440 = midnight at the end of the day). */
    t.integer('start_minute').notNullable();
    t.integer('end_minute').notNullable();
    t.index(['schedule_id'], 'access_schedule_intervals_schedule_idx');
  });
  await knex.raw(`alter table access_schedule_intervals add constraint access_schedule_intervals_range_check
    check (start_minute >= 0 and end_minute <= 1440 and start_minute < end_minute)`);
  await knex.schema.createTable('access_holidays', (t) => {
    t.uuid('schedule_id').notNullable().references('id').inTable('access_schedules').onDelete('CASCADE');
    t.date('day').notNullable();
    t.text('name').notNullable().defaultTo('');
    t.primary(['schedule_id', 'day']);
  });
  await knex.schema.createTable('access_groups', (t) => {
    t.uuid('id').primary();
    t.text('name').notNullable().unique();
    t.uuid('schedule_id').references('id').inTable('access_schedules');
    t.boolean('emergency').notNullable().defaultTo(false);
    t.timestamp('created_at', { useTz: true }).notNullable();
  });
  await knex.schema.createTable('access_group_zones', (t) => {
    t.uuid('group_id').notNullable().references('id').inTable('access_groups').onDelete('CASCADE');
    t.uuid('zone_id').notNullable().references('id').inTable('access_zones').onDelete('CASCADE');
    t.primary(['group_id', 'zone_id']);
  });
  await knex.schema.createTable('access_memberships', (t) => {
    t.uuid('group_id').notNullable().references('id').inTable('access_groups').onDelete('CASCADE');
    t.uuid('cardholder_id').notNullable();
    t.timestamp('valid_from', { useTz: true });
    t.timestamp('valid_until', { useTz: true });
    t.text('note').notNullable().defaultTo('');
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.primary(['group_id', 'cardholder_id']);
    t.index(['cardholder_id'], 'access_memberships_cardholder_idx');
  });
  await knex.raw(`alter table access_memberships add constraint access_memberships_window_check
    check (valid_from is null or valid_until is null or valid_from < valid_until)`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('access_memberships');
  await knex.schema.dropTable('access_group_zones');
  await knex.schema.dropTable('access_groups');
  await knex.schema.dropTable('access_holidays');
  await knex.schema.dropTable('access_schedule_intervals');
  await knex.schema.dropTable('access_schedules');
}
