import { migrateLatest, openDatabase } from '../../../../shared/db/index.js';
import { isTesseraError } from '../../../../shared/errors/index.js';
import { createLogger } from '../../../../shared/logging/index.js';
import { resolveKeyEncryptionKey, SealedBox } from '../../../../shared/secrets/index.js';
import { migrationOptionsFor } from '../../../platform/app.js';
import { configOrExit } from '../../../platform/cli/config-or-exit.js';
import { allServices } from '../../../platform/services.js';
import { PlatformPki } from '../platform-pki.js';
import { crlUrlOf } from '../pki-for-context.js';

/**
 * Runs one PKI command against the configured database with the configured KEK, migrating first
 * when TESSERA_MIGRATE=auto so `pki import` works before the first start. A refused operation
 * prints its message and exits 1. On the embedded database the platform must not be running
 * (PGlite allows one process).
 */
export async function withPki(work: (pki: PlatformPki) => Promise<void>): Promise<void> {
  const config = configOrExit();
  const db = openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, poolMax: 2 });
  try {
    if (config.migrate === 'auto') await migrateLatest(db, migrationOptionsFor(allServices()));
    const pki = new PlatformPki({
      db,
      secrets: new SealedBox(resolveKeyEncryptionKey(config)),
      now: () => new Date(),
      organisation: config.orgName,
      crlUrl: crlUrlOf(config.publicUrl),
      logger: createLogger(config.logLevel),
    });
    await work(pki);
  } catch (error) {
    if (!isTesseraError(error)) throw error;
    process.stderr.write(`tessera: ${error.message}\n`);
    process.exitCode = 1;
  } finally {
    await db.close();
  }
}
