import type { Knex } from 'knex';

/**
 * Staff sessions (services/identity/sessions): one row per issued token, so a token can be
 * revoked by its jti before it expires; and the keys that sign them, the private half sealed
 * with the key-encryption key (ctx.secrets).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('staff_sessions', (t) => {
    t.uuid('jti').primary();
    t.uuid('staff_id').notNullable().references('id').inTable('staff_accounts').onDelete('CASCADE');
    t.timestamp('issued_at', { useTz: true }).notNullable();
    t.timestamp('expires_at', { useTz: true }).notNullable();
    t.timestamp('revoked_at', { useTz: true });
    t.text('revoked_reason');
    t.index(['staff_id']);
    t.index(['expires_at']);
  });
  await knex.schema.createTable('staff_session_keys', (t) => {
    t.text('kid').primary();
    t.text('alg').notNullable();
    t.jsonb('public_jwk').notNullable();
    t.text('private_jwk_sealed').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.timestamp('retired_at', { useTz: true });
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('staff_session_keys');
  await knex.schema.dropTable('staff_sessions');
}
