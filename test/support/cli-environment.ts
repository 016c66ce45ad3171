import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase, onPostgres } from './test-database.js';

export interface CliEnvironment {
  /** What a `tessera` command needs to find its own, still unmigrated, database. */
  readonly env: Record<string, string>;
  dispose(): Promise<void>;
}

/**
 * An empty database for CLI tests: a throwaway PostgreSQL database when the suite runs on
 * PostgreSQL, else a PGlite data directory of its own; `dispose` removes it.
 */
export async function createCliEnvironment(prefix: string): Promise<CliEnvironment> {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const db = onPostgres ? await createTestDatabase({ migrate: false }) : undefined;
  const env: Record<string, string> = db
    ? { DATABASE_URL: db.url!, TESSERA_KEK: Buffer.alloc(32, 7).toString('base64'), LOG_LEVEL: 'silent' }
    : { TESSERA_DATA_DIR: dir, LOG_LEVEL: 'silent' };
  return {
    env,
    dispose: async () => {
      await db?.dispose();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
