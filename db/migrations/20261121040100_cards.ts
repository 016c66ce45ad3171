import type { Knex } from 'knex';

/**
 * Cards and their lifecycle (services/identity/cards/card-lifecycle.ts is the state machine).
 * The partial unique indexes are the guarantee of "at most one card in use per cardholder,
 * plus one temporary card": two desks issuing for one person at once cannot both insert.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('cards', (t) => {
    t.uuid('id').primary();
    t.uuid('cardholder_id').notNullable().references('id').inTable('cardholders');
    t.text('kind').notNullable().defaultTo('standard');
    t.text('status').notNullable();
    t.text('revocation_reason');
    t.text('algorithm').notNullable();
    t.timestamp('expires_at', { useTz: true }).notNullable();
    /** For a day's suspension while a temporary card is out: resume automatically after this. */
    t.timestamp('suspended_until', { useTz: true });
    t.uuid('replaces_card_id').references('id').inTable('cards');
    t.text('card_guid');
    t.text('issued_by');
    t.text('desk_reader');
    /** Issuance progress (which steps the card has done), so a retry resumes or starts clean. */
    t.jsonb('issuance').notNullable().defaultTo('{}');
    t.text('management_key_sealed');
    t.text('puk_sealed');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('status_changed_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.raw(`alter table cards add constraint cards_status_check
    check (status in ('issuing', 'issued', 'active', 'suspended', 'revoked', 'expired'))`);
  await knex.raw(`alter table cards add constraint cards_kind_check check (kind in ('standard', 'temporary'))`);
  await knex.raw(`alter table cards add constraint cards_revocation_reason_check
    check ((status = 'revoked') = (revocation_reason is not null)
       and (revocation_reason is null or revocation_reason in ('lost', 'stolen', 'damaged', 'left', 'superseded')))`);
  await knex.raw(`create unique index cards_one_live_per_holder on cards (cardholder_id, kind)
    where status in ('issuing', 'issued', 'active', 'suspended')`);
  await knex.raw('create index cards_by_holder on cards (cardholder_id)');
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('cards');
}
