import type { Knex } from 'knex';

/**
 * One row per tap: the challenge a reader asked for, and once answered, the decision. The row
 * is the record of the tap, granted or not (docs/tap-protocol.md). The challenge is consumed by
 * one conditional UPDATE (consumed_at is null, not expired, this reader), so of two concurrent
 * answers, in one process or two, exactly one wins.
 *
 * Indexes serve what is asked of millions of rows: a reader's recent taps, a cardholder's
 * taps (subject access, module reports), and time ranges (BRIN: rows arrive in time order).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('taps', (t) => {
    t.uuid('id').primary();
    t.uuid('reader_id').notNullable().references('id').inTable('readers');
    t.text('purpose').notNullable();
    t.text('target').notNullable();
    t.binary('challenge').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.timestamp('expires_at', { useTz: true }).notNullable();
    t.timestamp('consumed_at', { useTz: true });
    t.text('decision');
    t.text('reason');
    t.text('assurance');
    t.uuid('card_id');
    t.uuid('cardholder_id');
    t.text('certificate_fingerprint');
    /** 'platform', or the id of the external trust anchor the card chained to. */
    t.text('issuer');
    t.text('module');
    t.timestamp('decided_at', { useTz: true });
  });
  await knex.raw(`alter table taps add constraint taps_decision_check check (decision is null or decision in ('granted', 'denied'))`);
  await knex.raw(`alter table taps add constraint taps_assurance_check check (assurance is null or assurance in ('card', 'card+pin'))`);
  await knex.raw('alter table taps add constraint taps_challenge_length check (length(challenge) = 32)');
  await knex.raw('create index taps_by_reader on taps (reader_id, created_at desc)');
  await knex.raw('create index taps_by_cardholder on taps (cardholder_id, created_at desc) where cardholder_id is not null');
  await knex.raw('create index taps_by_time on taps using brin (created_at)');
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('taps');
}
