import type { Knex } from 'knex';

/**
 * Idempotency records of the desk's card-creating requests (issue, temporary card, replace,
 * renew): the same Idempotency-Key returns the first result again. A row without a response is
 * a request that has not finished; repeating it resumes the issuance. The hash covers the
 * request without the PIN (a hash of a six-digit PIN would give the PIN away).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('issuance_requests', (t) => {
    t.text('idempotency_key').primary();
    t.text('operation').notNullable();
    t.text('request_hash').notNullable();
    t.uuid('card_id');
    t.integer('status_code');
    t.jsonb('response');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('completed_at', { useTz: true });
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('issuance_requests');
}
