import { randomBytes, randomUUID } from 'node:crypto';
import type { TapModule } from '../../../shared/modules/index.js';
import { SealedBox } from '../../../shared/secrets/index.js';
import type { AuthSettings } from '../../../services/auth/index.js';
import { issueSoftwareCard, type SoftwareCard, type SoftwareCardOptions } from '../../../services/auth/testing/software-card.js';
import { tapWith, type TapOptions, type TapReaderClient } from '../../../services/auth/testing/tap-client.js';
import { PlatformPki } from '../../../services/identity/pki/index.js';
import type { TestDatabase } from '../../support/test-database.js';
import { ManualClock, registerReader, startAuthPlatform, type AuthPlatform } from './auth-fixture.js';

/** One key-encryption key for every auth suite of a run, so the CA one suite made serves the next. */
const RUN_KEK = randomBytes(32);

/** The platform CA on the shared database, usable with RUN_KEK (re-created when another suite left one sealed with another key). */
export async function runPki(db: TestDatabase, now: () => Date = () => new Date()): Promise<PlatformPki> {
  const pki = new PlatformPki({ db, secrets: new SealedBox(RUN_KEK), now, organisation: 'Demo Council', crlUrl: 'http://cards.example.test/v1/pki/crl' });
  await pki.ensureHierarchy();
  try {
    await pki.issueCardCertificate({ profile: 'card-auth', publicKey: (await import('node:crypto')).generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey, cardId: randomUUID(), cardholderRef: 'PROBE', notAfter: new Date(Date.now() + 86_400_000) });
  } catch {
    await db.knex('pki_crls').delete();
    await db.knex('pki_certificates').delete();
    await db.knex('pki_authorities').delete();
    await pki.ensureHierarchy();
  }
  return pki;
}

export interface TapEnvironment {
  readonly p: AuthPlatform;
  readonly pki: PlatformPki;
  readonly clock: ManualClock;
  /** A reader registered for this environment (kind kiosk, no module). */
  readonly reader: TapReaderClient & { readonly id: string };
  newReader(extra?: Record<string, unknown>): Promise<TapReaderClient & { readonly id: string }>;
  issue(options?: SoftwareCardOptions): Promise<SoftwareCard>;
  tap(card: SoftwareCard, options?: TapOptions & { via?: TapReaderClient }): ReturnType<typeof tapWith>;
  close(): Promise<void>;
}

export async function tapEnvironment(options: { db: TestDatabase; modules?: readonly TapModule[]; settings?: Partial<AuthSettings>; reader?: Record<string, unknown> }): Promise<TapEnvironment> {
  const clock = new ManualClock();
  const pki = await runPki(options.db);
  const p = await startAuthPlatform({ db: options.db, clock, modules: options.modules ?? [], settings: { cardTapsPerMinute: 6000, cardBurst: 100, ...options.settings }, keyEncryptionKey: RUN_KEK });
  const newReader = async (extra: Record<string, unknown> = {}) => {
    const { reader, credential } = await registerReader(p, extra);
    return { id: reader.id, baseUrl: p.baseUrl, credential };
  };
  const reader = await newReader(options.reader);
  return {
    p,
    pki,
    clock,
    reader,
    newReader,
    issue: (cardOptions) => issueSoftwareCard(options.db.knex, pki, cardOptions),
    tap: (card, tapOptions = {}) => tapWith(tapOptions.via ?? reader, card, tapOptions),
    close: () => p.close(),
  };
}
