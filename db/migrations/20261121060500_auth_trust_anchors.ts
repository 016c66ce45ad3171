import type { Knex } from 'knex';

/**
 * Other organisations' CAs the platform trusts for chosen purposes (a neighbouring council's
 * cards at our library, a national ID or health card at our door), with each one's CRL as
 * last fetched: the CRL is cached here so every process, and a restart, has it without a fetch.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('auth_trust_anchors', (t) => {
    t.uuid('id').primary();
    t.text('name').notNullable().unique();
    t.binary('certificate_der').notNullable();
    t.text('fingerprint').notNullable().unique();
    t.text('subject').notNullable();
    t.jsonb('purposes').notNullable();
    /** Certificate policy OIDs that mean "PIN-protected key" on this issuer's cards (assurance card+pin). */
    t.jsonb('pin_policy_oids').notNullable().defaultTo('[]');
    t.text('crl_url');
    t.binary('crl_der');
    t.timestamp('crl_this_update', { useTz: true });
    t.timestamp('crl_next_update', { useTz: true });
    t.timestamp('crl_fetched_at', { useTz: true });
    t.text('crl_error');
    /** Set by the process fetching the CRL, so replicas do not all fetch at once. */
    t.timestamp('crl_fetch_claimed_at', { useTz: true });
    t.text('status').notNullable().defaultTo('active');
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.timestamp('status_changed_at', { useTz: true }).notNullable();
  });
  await knex.raw(`alter table auth_trust_anchors add constraint auth_trust_anchors_status_check check (status in ('active', 'disabled'))`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('auth_trust_anchors');
}
