import type { Knex } from 'knex';

/**
 * Staff accounts (services/identity/staff). Usernames are stored lower-case; roles are the
 * names in services/identity/roles.ts (checked by the API, not here, so a new role needs no
 * migration). password_hash is a PHC string that carries its own scrypt parameters.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('staff_accounts', (t) => {
    t.uuid('id').primary();
    t.text('username').notNullable().unique();
    t.text('display_name').notNullable();
    t.specificType('roles', 'text[]').notNullable();
    t.text('status').notNullable().defaultTo('active');
    t.text('password_hash').notNullable();
    t.timestamp('password_changed_at', { useTz: true }).notNullable();
    t.integer('failed_attempts').notNullable().defaultTo(0);
    t.timestamp('last_failed_at', { useTz: true });
    t.timestamp('locked_until', { useTz: true });
    t.timestamp('last_login_at', { useTz: true });
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.timestamp('updated_at', { useTz: true }).notNullable();
  });
  await knex.raw(`alter table staff_accounts add constraint staff_accounts_status check (status in ('active', 'disabled'))`);
  await knex.raw('alter table staff_accounts add constraint staff_accounts_username_lower check (username = lower(username))');
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('staff_accounts');
}
