import type { Knex } from 'knex';

/**
 * Card commands the platform relays through a desk reader's agent (ARCHITECTURE.md, "Driving a
 * card at a desk"). Any platform process may send a command and any may serve the agent's long
 * poll, so the queue is a table: `pending` until an agent claims it, `sent`, then `answered`
 * (or `failed`). Commands and answers can carry a PIN or a management-key cryptogram, so both
 * are sealed with the KEK, and a row is deleted as soon as its answer is read.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('reader_relay_exchanges', (t) => {
    t.uuid('id').primary();
    t.uuid('reader_id').notNullable().references('id').inTable('readers');
    t.uuid('session_id').notNullable();
    t.text('kind').notNullable();
    t.text('command_sealed');
    t.text('response_sealed');
    t.text('error');
    t.text('status').notNullable().defaultTo('pending');
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.timestamp('sent_at', { useTz: true });
    t.timestamp('answered_at', { useTz: true });
  });
  await knex.raw(`alter table reader_relay_exchanges add constraint reader_relay_kind_check check (kind in ('open', 'apdu', 'close'))`);
  await knex.raw(`alter table reader_relay_exchanges add constraint reader_relay_status_check check (status in ('pending', 'sent', 'answered', 'failed'))`);
  await knex.raw(`create index reader_relay_pending on reader_relay_exchanges (reader_id, created_at) where status = 'pending'`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('reader_relay_exchanges');
}
