import type { Knex } from 'knex';

/**
 * Reader devices (services/auth/readers): what each is, where, what it serves, how it last
 * reported, and its own credential. The credential is a 256-bit random secret the platform
 * shows once; only its SHA-256 is kept (a secret that long needs no slow hash). Revoking a
 * reader clears the hash, so nothing the reader holds works again.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('readers', (t) => {
    t.uuid('id').primary();
    t.text('name').notNullable().unique();
    t.text('kind').notNullable();
    t.text('site').notNullable();
    t.text('location').notNullable().defaultTo('');
    /** The module whose purposes the reader asks for (null: core purposes only, e.g. identity.verify). */
    t.text('module');
    /** The door, printer, till ... the reader stands at; null lets the reader name it per tap. */
    t.text('target');
    t.text('status').notNullable().defaultTo('active');
    t.binary('credential_hash');
    t.timestamp('credential_issued_at', { useTz: true });
    t.text('firmware_version');
    t.text('config_version');
    t.text('agent_version');
    t.timestamp('last_heartbeat_at', { useTz: true });
    /** Set when a process saw the reader misbehave (floods, forged or replayed responses); an admin clears it. */
    t.timestamp('flagged_at', { useTz: true });
    t.text('flag_reason');
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.timestamp('status_changed_at', { useTz: true }).notNullable();
  });
  await knex.raw(`alter table readers add constraint readers_kind_check
    check (kind in ('door', 'printer', 'till', 'workstation', 'kiosk', 'register', 'terminal', 'desk'))`);
  await knex.raw(`alter table readers add constraint readers_status_check check (status in ('active', 'suspended', 'revoked'))`);
  await knex.raw(`alter table readers add constraint readers_revoked_without_credential check (status <> 'revoked' or credential_hash is null)`);
  await knex.raw('create index readers_by_site on readers (site, name)');
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('readers');
}
