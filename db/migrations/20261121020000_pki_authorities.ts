import type { Knex } from 'knex';

/**
 * The platform's certification authorities: the root, any intermediates of an imported chain,
 * and the issuing CA that signs card certificates and the CRL. Private keys are sealed with
 * the key-encryption key (purpose 'pki:<role>-ca-key:<id>'); chain certificates imported
 * without a key have none. At most one active root and one active issuing CA: the partial
 * unique index is the last guard when two processes create the hierarchy at once.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('pki_authorities', (t) => {
    t.uuid('id').primary();
    t.text('role').notNullable().checkIn(['root', 'intermediate', 'issuing'], 'pki_authorities_role_check');
    t.text('status').notNullable().defaultTo('active').checkIn(['active', 'retired'], 'pki_authorities_status_check');
    t.text('origin').notNullable().checkIn(['generated', 'imported'], 'pki_authorities_origin_check');
    /** Position in the served chain: 0 for the issuing CA, counting up to the root. */
    t.integer('chain_position').notNullable();
    t.text('subject').notNullable();
    t.text('serial').notNullable();
    t.text('fingerprint').notNullable();
    t.text('key_algorithm').notNullable();
    t.binary('certificate_der').notNullable();
    t.text('sealed_private_key');
    t.timestamp('not_before', { useTz: true }).notNullable();
    t.timestamp('not_after', { useTz: true }).notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.timestamp('retired_at', { useTz: true });
  });
  await knex.raw(
    `create unique index pki_authorities_one_active_per_role on pki_authorities (role) where status = 'active' and role <> 'intermediate'`,
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('pki_authorities');
}
