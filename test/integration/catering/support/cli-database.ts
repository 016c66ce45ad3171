import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Knex } from 'knex';
import { migrateLatest, openDatabase, type Database, type MigrationOptions } from '../../../../shared/db/index.js';
import { createTestDatabase, onPostgres, type TestDatabase } from '../../../support/test-database.js';
import { runTessera } from '../../ledger/support/run-cli.js';

/**
 * A database a `tessera` child process can open too: on PostgreSQL a throwaway database (both
 * processes connect at once); on PGlite a data folder, closed while the command runs (PGlite
 * allows one process) and opened again after, so `knex` is read after each run.
 */
export interface CliDatabase {
  readonly knex: Knex;
  run(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }>;
  dispose(): Promise<void>;
}

export async function cliDatabase(migrations: MigrationOptions): Promise<CliDatabase> {
  const env = { TESSERA_MIGRATE: 'skip', TESSERA_TIMEZONE: 'Europe/London' };
  if (onPostgres) {
    const db: TestDatabase = await createTestDatabase({ migrations });
    return { knex: db.knex, run: (args) => runTessera(args, { ...env, DATABASE_URL: db.url! }), dispose: () => db.dispose() };
  }
  const dir = await mkdtemp(join(tmpdir(), 'tessera-cli-'));
  let db: Database = openDatabase({ dataDir: dir });
  await migrateLatest(db, migrations);
  return {
    get knex() {
      return db.knex;
    },
    async run(args) {
      await db.close();
      try {
        return await runTessera(args, { ...env, TESSERA_DATA_DIR: dir });
      } finally {
        db = openDatabase({ dataDir: dir });
      }
    },
    async dispose() {
      await db.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
