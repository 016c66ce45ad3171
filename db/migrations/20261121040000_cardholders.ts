import type { Knex } from 'knex';

/**
 * Cardholders: the people cards are issued to. Modules keep their data against the cardholder,
 * never the card, so a replacement card keeps everything. Erasure pseudonymises the row in place
 * (status 'erased') so ledgers and the audit chain that refer to its id stay whole.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('cardholders', (t) => {
    t.uuid('id').primary();
    t.text('reference').notNullable().unique();
    t.text('given_name').notNullable();
    t.text('family_name').notNullable();
    t.text('kind').notNullable();
    t.text('org_unit');
    t.text('staff_number');
    t.text('pupil_upn');
    t.text('library_number');
    t.text('email');
    t.date('date_of_birth');
    t.binary('photo');
    t.text('photo_type');
    t.text('status').notNullable().defaultTo('active');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('erased_at', { useTz: true });
  });
  await knex.raw(`alter table cardholders add constraint cardholders_kind_check
    check (kind in ('staff', 'pupil', 'resident', 'care_recipient', 'visitor'))`);
  await knex.raw(`alter table cardholders add constraint cardholders_status_check check (status in ('active', 'erased'))`);
  for (const column of ['staff_number', 'pupil_upn', 'library_number']) {
    await knex.raw(`create unique index cardholders_${column}_unique on cardholders (${column}) where ${column} is not null`);
  }
  await knex.raw('create index cardholders_name_search on cardholders (lower(family_name), lower(given_name))');
  // A short human reference for desks and letters: TH-000001, from a sequence so it never repeats.
  await knex.raw('create sequence cardholder_reference_seq');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop sequence if exists cardholder_reference_seq');
  await knex.schema.dropTable('cardholders');
}
