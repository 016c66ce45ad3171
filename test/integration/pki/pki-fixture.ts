import { execFile } from 'node:child_process';
import { generateKeyPairSync, randomBytes, randomUUID, type KeyObject } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SealedBox } from '../../../shared/secrets/index.js';
import { PlatformPki } from '../../../services/identity/pki/index.js';
import { sharedTestDatabase, type TestDatabase } from '../../support/test-database.js';

export const DAY = 86_400_000;
export const CRL_URL = 'http://cards.example.test/v1/pki/crl';

/** A clock tests move by hand; it starts at the real time so OpenSSL (which uses the system clock) agrees. */
export class TestClock {
  #t = Date.now();
  readonly now = () => new Date(this.#t);
  advance(ms: number): void {
    this.#t += ms;
  }
}

export interface PkiFixture {
  readonly db: TestDatabase;
  readonly clock: TestClock;
  readonly secrets: SealedBox;
  readonly pki: PlatformPki;
  dispose(): Promise<void>;
}

/**
 * A PKI with an empty hierarchy on the run's shared database: the PKI tables are emptied first
 * (the CA is per database and sealed with this fixture's KEK), which is far cheaper than a new
 * database per suite.
 */
export async function pkiFixture(options: { organisation?: string; ensure?: boolean } = {}): Promise<PkiFixture> {
  const db = await sharedTestDatabase();
  await resetPki(db);
  const clock = new TestClock();
  const secrets = new SealedBox(randomBytes(32));
  const pki = new PlatformPki({ db, secrets, now: clock.now, organisation: options.organisation ?? 'Demo Council', crlUrl: CRL_URL });
  if (options.ensure ?? true) await pki.ensureHierarchy();
  return { db, clock, secrets, pki, dispose: async () => resetPki(db) };
}

export async function resetPki(db: TestDatabase): Promise<void> {
  await db.knex('pki_crls').delete();
  await db.knex('pki_certificates').delete();
  await db.knex('pki_authorities').delete();
}

export type CardKeySpec = 'rsa2048' | 'p256';

export function cardKey(spec: CardKeySpec): KeyObject {
  return spec === 'rsa2048'
    ? generateKeyPairSync('rsa', { modulusLength: 2048, publicExponent: 65537 }).publicKey
    : generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey;
}

export function newCardId(): string {
  return randomUUID();
}

export function yearsFromNow(clock: TestClock, years: number): Date {
  return new Date(clock.now().getTime() + years * 365 * DAY);
}

export interface OpensslResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `openssl` with the named files written to a temporary folder; `{name}` in args is replaced by the path. */
export async function openssl(args: string[], files: Record<string, string | Uint8Array>): Promise<OpensslResult> {
  const dir = mkdtempSync(join(tmpdir(), 'tessera-openssl-'));
  try {
    for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
    const resolved = args.map((arg) => arg.replace(/\{([\w.-]+)\}/g, (_, name: string) => join(dir, name)));
    return await new Promise((resolve) => {
      execFile('openssl', resolved, { timeout: 20_000 }, (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout: String(stdout), stderr: String(stderr) });
      });
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Whether the openssl binary runs here; tests that need it skip (or fail in CI) without it. */
export async function opensslAvailable(): Promise<boolean> {
  try {
    const result = await openssl(['version'], {});
    return result.code === 0 && /^OpenSSL 3\./.test(result.stdout);
  } catch {
    return false;
  }
}

export const OPENSSL_MISSING = 'OpenSSL 3 is not installed: apt-get install -y openssl (Debian package openssl)';

/** Skips a suite without OpenSSL 3, except in CI where its absence is a failure. */
export async function requireOpenssl(context: Mocha.Context): Promise<void> {
  if (await opensslAvailable()) return;
  if (process.env.CI === 'true') throw new Error(OPENSSL_MISSING);
  console.warn(`      skipped: ${OPENSSL_MISSING}`);
  context.skip();
}
