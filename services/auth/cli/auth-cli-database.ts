import { userInfo } from 'node:os';
import type { AuditActor } from '../../../shared/audit/index.js';
import { migrateLatest, openDatabase, type Database } from '../../../shared/db/index.js';
import { isTesseraError } from '../../../shared/errors/index.js';
import { migrationOptionsFor } from '../../platform/app.js';
import { configOrExit } from '../../platform/cli/config-or-exit.js';
import { allServices } from '../../platform/services.js';

/**
 * Opens the configured database for one command (migrating first when TESSERA_MIGRATE=auto,
 * as `tessera start` would). A refused operation prints its message and exits 1. On the
 * embedded database the platform must not be running: PGlite allows one process.
 */
export async function withAuthDatabase(work: (db: Database) => Promise<void>): Promise<void> {
  const config = configOrExit();
  const db = openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, poolMax: 2 });
  try {
    if (config.migrate === 'auto') await migrateLatest(db, migrationOptionsFor(allServices()));
    await work(db);
  } catch (error) {
    if (!isTesseraError(error)) throw error;
    process.stderr.write(`tessera: ${error.message}\n`);
    process.exitCode = 1;
  } finally {
    await db.close();
  }
}

/** The operator at the command line, as the audit log names them. */
export function cliActor(): AuditActor {
  let name = 'unknown';
  try {
    name = userInfo().username;
  } catch {
    // no passwd entry (containers): keep 'unknown'
  }
  return { kind: 'cli', id: name };
}
