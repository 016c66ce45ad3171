import type { Knex } from 'knex';

/**
 * What doors report (granted, denied, held open, forced, closed), online or uploaded later from
 * a controller's offline log, and the alarms operators work through. A controller names each
 * event with its own key, so an upload that is retried after a lost answer stores it once.
 * The allow-list signing keys are kept here too: the private key sealed, never in clear.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('access_door_events', (t) => {
    t.uuid('id').primary();
    t.uuid('door_id').notNullable().references('id').inTable('access_doors').onDelete('CASCADE');
    t.uuid('reader_id').notNullable();
    t.text('kind').notNullable().checkIn(['granted', 'denied', 'held_open', 'forced', 'closed'], 'access_door_events_kind_check');
    t.uuid('cardholder_id');
    t.text('reason');
    t.text('source').notNullable().checkIn(['online', 'offline'], 'access_door_events_source_check');
    t.text('event_key').notNullable();
    t.timestamp('occurred_at', { useTz: true }).notNullable();
    t.timestamp('received_at', { useTz: true }).notNullable();
    t.unique(['reader_id', 'event_key'], { indexName: 'access_door_events_key_unique' });
    t.index(['door_id', 'occurred_at'], 'access_door_events_door_idx');
  });
  await knex.schema.createTable('access_alarms', (t) => {
    t.uuid('id').primary();
    t.uuid('door_id').notNullable().references('id').inTable('access_doors').onDelete('CASCADE');
    t.uuid('event_id').notNullable().references('id').inTable('access_door_events').onDelete('CASCADE');
    t.text('kind').notNullable();
    t.timestamp('raised_at', { useTz: true }).notNullable();
    t.timestamp('acknowledged_at', { useTz: true });
    t.text('acknowledged_by');
    t.text('note');
    t.index(['acknowledged_at', 'raised_at'], 'access_alarms_open_idx');
  });
  await knex.schema.createTable('access_signing_keys', (t) => {
    t.text('kid').primary();
    t.jsonb('public_jwk').notNullable();
    t.text('private_key_sealed').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('access_signing_keys');
  await knex.schema.dropTable('access_alarms');
  await knex.schema.dropTable('access_door_events');
}
