import type { Knex } from 'knex';

/**
 * Where doors are: sites hold zones, zones hold doors, and each door is controlled by one or
 * more readers of the tap registry (an entry reader and optionally an exit reader). A door or
 * its zone may require card and PIN (PIV slot 9A) instead of the card alone (slot 9E); a zone
 * may enforce anti-passback ('soft' records a violation, 'hard' refuses it).
 * Reader ids are not a foreign key: readers belong to the auth service's tables, not ours.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('access_sites', (t) => {
    t.uuid('id').primary();
    t.text('name').notNullable().unique();
    t.text('description').notNullable().defaultTo('');
    t.timestamp('created_at', { useTz: true }).notNullable();
  });
  await knex.schema.createTable('access_zones', (t) => {
    t.uuid('id').primary();
    t.uuid('site_id').notNullable().references('id').inTable('access_sites');
    t.text('name').notNullable();
    t.boolean('requires_pin').notNullable().defaultTo(false);
    t.text('anti_passback').notNullable().defaultTo('off').checkIn(['off', 'soft', 'hard'], 'access_zones_anti_passback_check');
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.unique(['site_id', 'name'], { indexName: 'access_zones_site_name_unique' });
  });
  await knex.schema.createTable('access_doors', (t) => {
    t.uuid('id').primary();
    t.uuid('zone_id').notNullable().references('id').inTable('access_zones');
    t.text('name').notNullable();
    t.boolean('requires_pin').notNullable().defaultTo(false);
    /** How long the door may stand open after a grant before the controller reports it held open. */
    t.integer('held_open_seconds').notNullable().defaultTo(30);
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.unique(['zone_id', 'name'], { indexName: 'access_doors_zone_name_unique' });
  });
  await knex.schema.createTable('access_door_readers', (t) => {
    t.uuid('reader_id').primary();
    t.uuid('door_id').notNullable().references('id').inTable('access_doors').onDelete('CASCADE');
    /** 'entry' leads into the door's zone, 'exit' out of it (anti-passback). */
    t.text('direction').notNullable().checkIn(['entry', 'exit'], 'access_door_readers_direction_check');
    t.index(['door_id'], 'access_door_readers_door_idx');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('access_door_readers');
  await knex.schema.dropTable('access_doors');
  await knex.schema.dropTable('access_zones');
  await knex.schema.dropTable('access_sites');
}
