import type { Knex } from 'knex';

/**
 * Every certificate the platform CA issued for a card slot, so revocation knows what to list in
 * the CRL. Suspension puts a certificate on hold (CRL reason certificateHold); reactivation
 * takes it off the next CRL; revocation is final (RFC 5280 §5.3.1).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('pki_certificates', (t) => {
    t.text('serial').primary();
    t.uuid('authority_id').notNullable().references('id').inTable('pki_authorities');
    t.uuid('card_id').notNullable();
    t.text('profile').notNullable().checkIn(['piv-auth', 'card-auth'], 'pki_certificates_profile_check');
    t.text('slot').notNullable().checkIn(['9A', '9E'], 'pki_certificates_slot_check');
    t.text('subject').notNullable();
    t.text('cardholder_ref').notNullable();
    t.text('fingerprint').notNullable().unique();
    t.binary('certificate_der').notNullable();
    t.timestamp('not_before', { useTz: true }).notNullable();
    t.timestamp('not_after', { useTz: true }).notNullable();
    t.timestamp('issued_at', { useTz: true }).notNullable();
    t.text('status').notNullable().defaultTo('active').checkIn(['active', 'on_hold', 'revoked'], 'pki_certificates_status_check');
    t.timestamp('revoked_at', { useTz: true });
    t.text('revocation_reason').checkIn(
      ['unspecified', 'keyCompromise', 'affiliationChanged', 'superseded', 'cessationOfOperation', 'certificateHold', 'privilegeWithdrawn'],
      'pki_certificates_reason_check',
    );
    t.index(['card_id'], 'pki_certificates_card_idx');
    t.index(['authority_id', 'status'], 'pki_certificates_authority_status_idx');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('pki_certificates');
}
