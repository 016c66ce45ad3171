import type { Knex } from 'knex';

/**
 * Lockdowns of a site or a zone (only the named override groups pass while one is active) and
 * where each cardholder last went through an anti-passback zone. At most one active lockdown
 * per site or zone; a lifted one is kept as history.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('access_lockdowns', (t) => {
    t.uuid('id').primary();
    t.uuid('site_id').references('id').inTable('access_sites');
    t.uuid('zone_id').references('id').inTable('access_zones');
    t.jsonb('override_group_ids').notNullable().defaultTo('[]');
    t.text('reason').notNullable().defaultTo('');
    t.timestamp('started_at', { useTz: true }).notNullable();
    t.text('started_by').notNullable();
    t.timestamp('lifted_at', { useTz: true });
    t.text('lifted_by');
  });
  await knex.raw('alter table access_lockdowns add constraint access_lockdowns_scope_check check ((site_id is null) <> (zone_id is null))');
  await knex.raw('create unique index access_lockdowns_active_site on access_lockdowns (site_id) where lifted_at is null and site_id is not null');
  await knex.raw('create unique index access_lockdowns_active_zone on access_lockdowns (zone_id) where lifted_at is null and zone_id is not null');
  await knex.schema.createTable('access_presence', (t) => {
    t.uuid('cardholder_id').notNullable();
    t.uuid('zone_id').notNullable().references('id').inTable('access_zones').onDelete('CASCADE');
    t.text('state').notNullable().checkIn(['inside', 'outside'], 'access_presence_state_check');
    t.timestamp('at', { useTz: true }).notNullable();
    t.primary(['cardholder_id', 'zone_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('access_presence');
  await knex.schema.dropTable('access_lockdowns');
}
