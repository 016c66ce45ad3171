import type { Knex } from 'knex';

/**
 * Every platform process caches card and certificate status for the tap path and drops an
 * entry when PostgreSQL tells it (LISTEN tessera_card_status, payload = card id). The card
 * lifecycle notifies on its own; these triggers make sure any other change does too: a single
 * certificate revoked by serial, a cardholder renamed or erased (the tap path shows names), or a
 * row changed by hand, so a revocation holds everywhere.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`create function auth_notify_card_status() returns trigger language plpgsql as $$
    begin
      perform pg_notify('tessera_card_status', new.card_id::text);
      return null;
    end $$`);
  await knex.raw(`create function auth_notify_card_row_status() returns trigger language plpgsql as $$
    begin
      perform pg_notify('tessera_card_status', new.id::text);
      return null;
    end $$`);
  await knex.raw(`create function auth_notify_cardholder_cards() returns trigger language plpgsql as $$
    begin
      perform pg_notify('tessera_card_status', c.id::text) from cards c where c.cardholder_id = new.id;
      return null;
    end $$`);
  await knex.raw(`create trigger cardholders_cards_notify after update on cardholders
    for each row execute function auth_notify_cardholder_cards()`);
  await knex.raw(`create trigger pki_certificates_status_notify after update of status on pki_certificates
    for each row when (old.status is distinct from new.status) execute function auth_notify_card_status()`);
  // The platform CA itself (created at first start, imported, replaced): what the tap path trusts.
  await knex.raw(`create function auth_notify_trust() returns trigger language plpgsql as $$
    begin
      perform pg_notify('tessera_trust', 'pki');
      return null;
    end $$`);
  await knex.raw(`create trigger pki_authorities_trust_notify after insert or update or delete on pki_authorities
    for each statement execute function auth_notify_trust()`);
  await knex.raw(`create trigger cards_status_notify after update of status, suspended_until, expires_at on cards
    for each row execute function auth_notify_card_row_status()`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop trigger if exists cards_status_notify on cards');
  await knex.raw('drop trigger if exists pki_authorities_trust_notify on pki_authorities');
  await knex.raw('drop function if exists auth_notify_trust()');
  await knex.raw('drop trigger if exists cardholders_cards_notify on cardholders');
  await knex.raw('drop function if exists auth_notify_cardholder_cards()');
  await knex.raw('drop trigger if exists pki_certificates_status_notify on pki_certificates');
  await knex.raw('drop function if exists auth_notify_card_row_status()');
  await knex.raw('drop function if exists auth_notify_card_status()');
}
