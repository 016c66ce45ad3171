import { randomBytes, randomUUID } from 'node:crypto';
import { expect } from 'chai';
import type { Config } from '../../../shared/config/index.js';
import type { CardChannel } from '../../../shared/card/card-channel.js';
import { CardRemovedError } from '../../../shared/piv/index.js';
import { auditPart, identityService, sessionsPart, staffPart } from '../../../services/identity/identity-service.js';
import { cardDeskPart } from '../../../services/identity/card-desk-part.js';
import { cardCertificateHooks, pkiFor, pkiPart } from '../../../services/identity/pki/index.js';
import {
  DeskReaders,
  issuanceDepsFor,
  issuancePart,
  SimulatedDeskStock,
  type DeskCardIntent,
  type DeskReaderProvider,
  type DeskSession,
  type IssuanceDeps,
} from '../../../services/identity/issuance/index.js';
import { clientAs, headerAuthenticator } from '../../support/test-auth.js';
import { sharedTestDatabase, type TestDatabase } from '../../support/test-database.js';
import { startTestPlatform, type TestPlatform } from '../../support/test-platform.js';

export const DESK = 'Desk 1';
export const OTHER_DESK = 'Desk 2';

/** A clock a test sets and moves; starts at the real time (OpenSSL checks validity against it). */
export class TestClock {
  #t: number;
  constructor(start = Date.now()) {
    this.#t = start;
  }
  readonly now = () => new Date(this.#t);
  set(at: Date | string): void {
    this.#t = new Date(at).getTime();
  }
  advance(ms: number): void {
    this.#t += ms;
  }
}

/**
 * Wraps the simulated stock so a test can pull the card out after N APDUs: `before` the N+1th
 * reaches the card, or `after` the card has done it but before the answer comes back.
 */
export class FlakyDeskReaders implements DeskReaderProvider {
  readonly kind = 'sim';
  failAfter: { apdus: number; when: 'before' | 'after' } | undefined;
  apdusSent = 0;
  constructor(readonly stock: SimulatedDeskStock) {}
  serves(name: string) {
    return this.stock.serves(name);
  }
  list() {
    return this.stock.list();
  }
  close() {
    return this.stock.close();
  }
  async open(name: string, intent: DeskCardIntent): Promise<DeskSession> {
    const session = await this.stock.open(name, intent);
    const plan = this.failAfter;
    let sent = 0;
    let pulled = false;
    const channel: CardChannel = {
      transmit: async (command) => {
        if (pulled || (plan && plan.when === 'before' && sent >= plan.apdus)) {
          pulled = true;
          throw new CardRemovedError('test: card pulled out');
        }
        sent++;
        this.apdusSent++;
        const response = await session.transmit(command);
        if (plan && plan.when === 'after' && sent >= plan.apdus) {
          pulled = true;
          throw new CardRemovedError('test: card pulled out after the card answered');
        }
        return response;
      },
    };
    return { deskReader: name, transmit: channel.transmit, release: (outcome) => session.release(outcome) };
  }
}

export interface IssuanceFixture {
  readonly db: TestDatabase;
  readonly platform: TestPlatform;
  readonly stock: SimulatedDeskStock;
  readonly flaky: FlakyDeskReaders;
  readonly deskReaders: DeskReaders;
  readonly deps: IssuanceDeps;
  readonly desk: ReturnType<typeof clientAs>;
  readonly clock: TestClock;
  enrol(extra?: Record<string, unknown>): Promise<{ id: string; reference: string }>;
  dispose(): Promise<void>;
}

/** The PKI tables belong to one KEK: start (and leave) them empty on the shared database. */
export async function resetPkiTables(db: TestDatabase): Promise<void> {
  await db.knex('pki_crls').delete();
  await db.knex('pki_certificates').delete();
  await db.knex('pki_authorities').delete();
}

/** The identity service as the platform composes it, with the desk readers given. */
export function identityWithDesk(deskReaders: DeskReaders) {
  return identityService([staffPart, sessionsPart, auditPart, pkiPart, cardDeskPart((ctx) => cardCertificateHooks(pkiFor(ctx))), issuancePart({ deskReaders })]);
}

export async function issuanceFixture(options: { clock?: TestClock; config?: Partial<Config> } = {}): Promise<IssuanceFixture> {
  const db = await sharedTestDatabase();
  await resetPkiTables(db);
  const clock = options.clock ?? new TestClock();
  const stock = new SimulatedDeskStock([DESK, OTHER_DESK]);
  const flaky = new FlakyDeskReaders(stock);
  const deskReaders = new DeskReaders([flaky]);
  const platform = await startTestPlatform({
    db,
    services: [identityWithDesk(deskReaders)],
    authenticate: headerAuthenticator,
    keyEncryptionKey: randomBytes(32),
    now: clock.now,
    ...(options.config ? { config: options.config } : {}),
  });
  const desk = clientAs(platform.baseUrl, 'reception');
  return {
    db,
    platform,
    stock,
    flaky,
    deskReaders,
    deps: issuanceDepsFor(platform.platform.ctx, deskReaders),
    desk,
    clock,
    async enrol(extra = {}) {
      const response = await desk.post('/v1/cardholders', { givenName: 'Test', familyName: `Holder ${randomUUID().slice(0, 8)}`, kind: 'staff', ...extra });
      expect(response.status, JSON.stringify(response.body)).to.equal(201);
      return response.body;
    },
    async dispose() {
      await platform.close();
      await resetPkiTables(db);
    },
  };
}
