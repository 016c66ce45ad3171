import type { Knex } from 'knex';

/**
 * CRLs as issued, numbered per issuing CA (RFC 5280 §5.2.3 cRLNumber, strictly increasing).
 * The newest row is what GET /v1/pki/crl serves; a few older ones are kept for diagnosis.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('pki_crls', (t) => {
    t.uuid('authority_id').notNullable().references('id').inTable('pki_authorities');
    t.bigInteger('crl_number').notNullable();
    t.timestamp('this_update', { useTz: true }).notNullable();
    t.timestamp('next_update', { useTz: true }).notNullable();
    t.integer('entry_count').notNullable();
    t.binary('der').notNullable();
    t.primary(['authority_id', 'crl_number']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('pki_crls');
}
