import { userInfo } from 'node:os';
import type { AuditActor } from '../../../shared/audit/index.js';
import { migrateLatest, openDatabase, type Database } from '../../../shared/db/index.js';
import { isTesseraError } from '../../../shared/errors/index.js';
import { migrationOptionsFor } from '../../platform/app.js';
import { configOrExit } from '../../platform/cli/config-or-exit.js';
import { allServices } from '../../platform/services.js';

/** Exit code for a refused operation (unknown account, last admin, bad input). */
export const EXIT_REFUSED = 1;

/**
 * Opens the configured database for one command, bringing the schema up to date first when
 * TESSERA_MIGRATE=auto (as `tessera start` would), so `staff add` works on a fresh install.
 * A refused operation (a TesseraError) prints its message and exits 1, without a stack trace.
 * On the embedded database the platform must not be running: PGlite allows one process.
 */
export async function withDatabase(work: (db: Database) => Promise<void>): Promise<void> {
  const config = configOrExit();
  const db = openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, poolMax: 2 });
  try {
    // Touch the database first: it fails fast when unreachable, and an embedded (PGlite) database
    // closed without ever being used keeps the process alive after close (knex-pglite).
    await db.knex.raw('select 1');
    if (config.migrate === 'auto') await migrateLatest(db, migrationOptionsFor(allServices()));
    await work(db);
  } catch (error) {
    if (!isTesseraError(error)) throw error;
    process.stderr.write(`tessera: ${error.message}\n`);
    const problems = (error.extensions as { problems?: string[] }).problems;
    if (problems) for (const problem of problems) process.stderr.write(`  - ${problem}\n`);
    process.exitCode = EXIT_REFUSED;
  } finally {
    await db.close();
  }
}

/** The operator at the keyboard, as the audit log records them. */
export function cliActor(): AuditActor {
  let name: string;
  try {
    name = userInfo().username;
  } catch {
    name = `uid:${process.getuid?.() ?? 'unknown'}`;
  }
  return { kind: 'cli', id: name };
}

/** Reads a password piped on stdin (`--password-stdin`): everything up to EOF, one trailing newline dropped. */
export async function readPasswordFromStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
}
