import type { Knex } from 'knex';

/**
 * ES256 keys that sign tap decision tokens. The newest key whose signs_from has come signs;
 * every key not past retire_at is served in /.well-known/jwks.json, so a token signed just
 * before a rotation still verifies until it expires. Private halves are sealed with the KEK.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('auth_token_keys', (t) => {
    t.text('kid').primary();
    t.text('alg').notNullable();
    t.jsonb('public_jwk').notNullable();
    t.text('private_jwk_sealed').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.timestamp('signs_from', { useTz: true }).notNullable();
    t.timestamp('retire_at', { useTz: true });
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('auth_token_keys');
}
