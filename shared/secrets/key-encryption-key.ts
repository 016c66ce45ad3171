import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ConfigError, type Config } from '../config/index.js';

const KEK_BYTES = 32;

/**
 * The key that encrypts secrets at rest (CA keys, card management keys, PUKs). From
 * TESSERA_KEK; on the embedded database only, a generated one kept in TESSERA_DATA_DIR/kek
 * (mode 0600) so `npm start` works on a fresh machine. With PostgreSQL it must be configured:
 * a key beside a shared database would protect nothing.
 */
export function resolveKeyEncryptionKey(config: Pick<Config, 'kek' | 'databaseUrl' | 'dataDir'>): Buffer {
  if (config.kek) return Buffer.from(config.kek, 'base64');
  if (config.databaseUrl) {
    throw new ConfigError([
      { variable: 'TESSERA_KEK', expects: 'a key-encryption key (openssl rand -base64 32); it is required with DATABASE_URL', got: undefined },
    ]);
  }
  if (config.dataDir === ':memory:') return randomBytes(KEK_BYTES);
  mkdirSync(config.dataDir, { recursive: true });
  const file = resolve(config.dataDir, 'kek');
  if (!existsSync(file)) writeFileSync(file, `${randomBytes(KEK_BYTES).toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  chmodSync(file, 0o600);
  const key = Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
  if (key.length !== KEK_BYTES) throw new Error(`${file} does not hold a ${KEK_BYTES}-byte base64 key`);
  return key;
}
