import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Knex } from 'knex';
import { NamedBySourceMigrations } from './migration-source.js';
import type { Database } from './open-database.js';

const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The platform core's migrations. Modules that own tables add their folders through `extraDirectories`. */
export const coreMigrationsDirectory = resolve(projectRoot, 'db', 'migrations');

/** Any constant will do; it only has to be the same for every Tessera process on one database. */
const MIGRATION_ADVISORY_LOCK = 7_355_608;

export interface MigrationOptions {
  extraDirectories?: readonly string[];
}

function migratorConfig(options: MigrationOptions = {}): Knex.MigratorConfig {
  return {
    migrationSource: new NamedBySourceMigrations([coreMigrationsDirectory, ...(options.extraDirectories ?? [])]),
    tableName: 'knex_migrations',
    // Each migration runs in its own transaction, so a failed one leaves nothing half done.
    disableTransactions: false,
  };
}

/**
 * Brings the schema up to date. On PostgreSQL a session advisory lock serialises processes that
 * start together, so the second one waits, then finds nothing pending; knex's own migration lock
 * stays in force underneath as a second guard. PGlite is single-process, so it needs neither.
 */
export async function migrateLatest(db: Database, options: MigrationOptions = {}): Promise<string[]> {
  const run = async () => {
    const [, applied] = (await db.knex.migrate.latest(migratorConfig(options))) as [number, string[]];
    return applied;
  };
  if (db.kind !== 'postgres') return run();
  return withAdvisoryLock(db, run);
}

async function withAdvisoryLock<T>(db: Database, work: () => Promise<T>): Promise<T> {
  // The lock belongs to one session: hold one pooled connection for it while the migrator
  // uses others. pg_advisory_lock blocks until the other process releases it.
  const connection = await db.knex.client.acquireConnection();
  try {
    await connection.query('select pg_advisory_lock($1)', [MIGRATION_ADVISORY_LOCK]);
    try {
      return await work();
    } finally {
      await connection.query('select pg_advisory_unlock($1)', [MIGRATION_ADVISORY_LOCK]);
    }
  } finally {
    await db.knex.client.releaseConnection(connection);
  }
}

export async function migrateRollback(db: Database, options: MigrationOptions & { all?: boolean } = {}): Promise<string[]> {
  const [, reverted] = (await db.knex.migrate.rollback(migratorConfig(options), options.all ?? false)) as [number, string[]];
  return reverted;
}

/** Undoes exactly the last migration (not the last batch), which is what an operator expects of `down`. */
export async function migrateDown(db: Database, options: MigrationOptions = {}): Promise<string[]> {
  const before = await migrationStatus(db, options);
  if (before.applied.length === 0) return [];
  await db.knex.migrate.down(migratorConfig(options));
  return [before.applied[before.applied.length - 1]!];
}

export interface MigrationStatus {
  applied: string[];
  pending: string[];
}

export async function migrationStatus(db: Database, options: MigrationOptions = {}): Promise<MigrationStatus> {
  const [completed, pending] = (await db.knex.migrate.list(migratorConfig(options))) as [
    { name: string }[],
    { file: string }[],
  ];
  return { applied: completed.map((m) => m.name), pending: pending.map((m) => m.file) };
}
