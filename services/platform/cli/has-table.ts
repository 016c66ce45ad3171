import type { Knex } from 'knex';

/** Whether a table exists, so a command can say "run `tessera migrate up` first" instead of failing on SQL. */
export async function hasTable(knex: Knex, table: string): Promise<boolean> {
  const { rows } = await knex.raw('select to_regclass(?) is not null as present', [table]);
  return Boolean((rows as { present: boolean }[])[0]?.present);
}
