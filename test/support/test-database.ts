import { randomBytes } from 'node:crypto';
import knexFactory from 'knex';
import { migrateLatest, openDatabase, type Database, type MigrationOptions } from '../../shared/db/index.js';

export interface TestDatabase extends Database {
  /** The URL of this throwaway database (PostgreSQL only), e.g. for a child platform process. */
  readonly url: string | undefined;
  dispose(): Promise<void>;
}

/** True when the suite runs against PostgreSQL (DATABASE_URL set), false on embedded PGlite. */
export const onPostgres = Boolean(process.env.DATABASE_URL);

/**
 * A database no other run (or test) can see: on PostgreSQL a new database created from
 * DATABASE_URL and dropped on dispose; otherwise an in-memory PGlite.
 */
export async function createTestDatabase(options: { migrate?: boolean; migrations?: MigrationOptions } = {}): Promise<TestDatabase> {
  let db: Database;
  let url: string | undefined;
  let drop = async () => {};
  if (onPostgres) {
    const adminUrl = process.env.DATABASE_URL!;
    const name = `tessera_t_${process.pid}_${randomBytes(4).toString('hex')}`;
    const admin = knexFactory({ client: 'pg', connection: adminUrl, pool: { min: 0, max: 1 } });
    try {
      await admin.raw(`create database "${name}"`);
    } finally {
      await admin.destroy();
    }
    const parsed = new URL(adminUrl);
    parsed.pathname = `/${name}`;
    url = parsed.toString();
    db = openDatabase({ databaseUrl: url, poolMax: 10 });
    drop = async () => {
      const again = knexFactory({ client: 'pg', connection: adminUrl, pool: { min: 0, max: 1 } });
      try {
        await again.raw(`drop database if exists "${name}" with (force)`);
      } finally {
        await again.destroy();
      }
    };
  } else {
    db = openDatabase({ dataDir: ':memory:' });
  }
  if (options.migrate ?? true) await migrateLatest(db, options.migrations);
  let disposed = false;
  return {
    ...db,
    url,
    dispose: async () => {
      if (disposed) return;
      disposed = true;
      await db.close();
      await drop();
    },
  };
}

let shared: Promise<TestDatabase> | undefined;
let sharedMigrations: MigrationOptions | undefined;

/**
 * One migrated database for the whole run (PGlite takes seconds to start), for tests that only
 * add rows. Tests that change the schema or need an empty database use createTestDatabase.
 * Pass the migration folders of every service the test needs; they are applied on first use
 * and again whenever a later caller names more.
 */
export async function sharedTestDatabase(migrations: MigrationOptions = {}): Promise<TestDatabase> {
  shared ??= createTestDatabase({ migrate: false });
  const db = await shared;
  const wanted = new Set([...(sharedMigrations?.extraDirectories ?? []), ...(migrations.extraDirectories ?? [])]);
  sharedMigrations = { extraDirectories: [...wanted] };
  await migrateLatest(db, sharedMigrations);
  return db;
}

/** Root hook: drop the shared database when the run ends. */
export async function disposeSharedTestDatabase(): Promise<void> {
  if (shared) await (await shared).dispose();
  shared = undefined;
}
