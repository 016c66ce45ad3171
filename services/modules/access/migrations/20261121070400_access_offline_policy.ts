import type { Knex } from 'knex';

/**
 * How long a door controller's offline allow-list is good for and how often a connected
 * controller fetches a fresh one (the bound on how late a revocation reaches it). One row.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('access_offline_policy', (t) => {
    t.integer('id').primary();
    t.integer('refresh_seconds').notNullable();
    t.integer('validity_seconds').notNullable();
    t.timestamp('updated_at', { useTz: true }).notNullable();
  });
  await knex.raw('alter table access_offline_policy add constraint access_offline_policy_one_row check (id = 1)');
  await knex.raw('alter table access_offline_policy add constraint access_offline_policy_bounds check (refresh_seconds >= 5 and validity_seconds > refresh_seconds)');
  await knex('access_offline_policy').insert({ id: 1, refresh_seconds: 60, validity_seconds: 86_400, updated_at: knex.fn.now() });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('access_offline_policy');
}
