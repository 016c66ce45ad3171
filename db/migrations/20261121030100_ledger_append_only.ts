import type { Knex } from 'knex';

const appendOnlyTables = ['ledger_transfers', 'ledger_entries', 'ledger_idempotency'] as const;

/**
 * Transfers, entries and idempotency records are never updated or deleted: a refund or a
 * correction is a new transfer referring to the old one. These triggers refuse UPDATE, DELETE
 * and TRUNCATE for every client of the database, not only for Tessera's code.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    create function ledger_refuse_change() returns trigger language plpgsql as $$
    begin
      raise exception 'ledger table % is append-only: % refused', tg_table_name, tg_op
        using errcode = 'restrict_violation',
              hint = 'record a new (reversing) transfer instead';
    end
    $$`);
  for (const table of appendOnlyTables) {
    await knex.raw(`create trigger ${table}_append_only before update or delete on ${table} for each row execute function ledger_refuse_change()`);
    await knex.raw(`create trigger ${table}_no_truncate before truncate on ${table} for each statement execute function ledger_refuse_change()`);
  }
}

export async function down(knex: Knex): Promise<void> {
  for (const table of appendOnlyTables) {
    await knex.raw(`drop trigger ${table}_no_truncate on ${table}`);
    await knex.raw(`drop trigger ${table}_append_only on ${table}`);
  }
  await knex.raw('drop function ledger_refuse_change()');
}
