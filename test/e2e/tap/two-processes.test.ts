import { expect } from 'chai';
import { SealedBox } from '../../../shared/secrets/index.js';
import { migrateLatest } from '../../../shared/db/index.js';
import { migrationOptionsFor } from '../../../services/platform/app.js';
import { allServices } from '../../../services/platform/services.js';
import { createReader } from '../../../services/auth/index.js';
import { issueSoftwareCard } from '../../../services/auth/testing/software-card.js';
import { answerFor, postJson, requestChallenge, tapWith, type TapReaderClient } from '../../../services/auth/testing/tap-client.js';
import { applyCardAction } from '../../../services/identity/cards/index.js';
import { cardCertificateHooks, PlatformPki } from '../../../services/identity/pki/index.js';
import { freePort, spawnCli, waitForExit, waitForStatus } from '../../support/platform-process.js';
import { createTestDatabase, onPostgres, type TestDatabase } from '../../support/test-database.js';

/**
 * Two `tessera start` processes on one PostgreSQL database: the single-use challenge and the
 * LISTEN/NOTIFY cache invalidation hold across processes, not only within one.
 */
describe('e2e: two platform processes on one PostgreSQL', function () {
  this.timeout(300_000);
  let db: TestDatabase;
  let pki: PlatformPki;
  let children: ReturnType<typeof spawnCli>[] = [];
  let urls: string[] = [];
  const kek = Buffer.alloc(32, 9);

  before(async function () {
    if (!onPostgres) {
      // PGlite is one process's private database: two processes need a shared PostgreSQL.
      console.warn('      skipping: two platform processes need PostgreSQL; set DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres');
      this.skip();
    }
    db = await createTestDatabase({ migrate: false });
    await migrateLatest(db, migrationOptionsFor(allServices()));
    pki = new PlatformPki({ db, secrets: new SealedBox(kek), now: () => new Date(), organisation: 'Demo Council', crlUrl: 'http://localhost/v1/pki/crl' });
    await pki.ensureHierarchy();
    const ports = [await freePort(), await freePort()];
    const env = (port: number) => ({
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_URL: db.url,
      TESSERA_KEK: kek.toString('base64'),
      TESSERA_MIGRATE: 'skip',
      TESSERA_SEED_DEMO: 'false',
      TESSERA_CARD_TAPS_PER_MINUTE: '100000',
      LOG_LEVEL: 'warn',
    });
    children = ports.map((port) => spawnCli(['start'], env(port)));
    urls = ports.map((port) => `http://127.0.0.1:${port}`);
    await Promise.all(urls.map((url) => waitForStatus(`${url}/readyz`, 200, 180_000)));
  });

  after(async () => {
    const exits = children.map((child) => waitForExit(child, 30_000).catch(() => undefined));
    for (const child of children) child.kill('SIGTERM');
    await Promise.all(exits);
    await db?.dispose();
  });

  async function reader(): Promise<{ a: TapReaderClient; b: TapReaderClient }> {
    const { credential } = await db.knex.transaction((trx) =>
      createReader(trx, { name: `two-${Date.now()}-${Math.random().toString(36).slice(2, 6)}`, kind: 'kiosk', site: 'HQ' }, { actor: { kind: 'system', id: 'test' }, now: new Date() }),
    );
    return { a: { baseUrl: urls[0]!, credential }, b: { baseUrl: urls[1]!, credential } };
  }

  it('uses a challenge once, whichever process each answer reaches', async () => {
    const { a, b } = await reader();
    const card = await issueSoftwareCard(db.knex, pki);
    const challenge = await requestChallenge(a, 'identity.verify');
    const answer = await answerFor(challenge, card);
    const results = await Promise.all([a, b, a, b, a, b].map((client) => postJson(client, `/v1/taps/${challenge.id}/response`, answer)));
    const outcomes = results.map((r) => `${r.status} ${r.body.decision}:${r.body.reason}`);
    expect(outcomes.filter((o) => o === '200 granted:ok'), outcomes.join(', ')).to.have.length(1);
    expect(outcomes.filter((o) => o === '200 denied:challenge_replayed')).to.have.length(5);
  });

  it('holds a revocation and a suspension on both processes within one second', async () => {
    const { a, b } = await reader();
    const revoked = await issueSoftwareCard(db.knex, pki);
    const suspended = await issueSoftwareCard(db.knex, pki);
    // Both processes have both cards' status cached before the change.
    for (const card of [revoked, suspended]) {
      for (const client of [a, b]) expect((await tapWith(client, card)).body.decision).to.equal('granted');
    }
    const change = { actor: { kind: 'system' as const, id: 'test' }, now: new Date(), certificates: cardCertificateHooks(pki) };
    await db.knex.transaction(async (trx) => {
      await applyCardAction(trx, revoked.cardId, { kind: 'revoke', reason: 'stolen' }, change);
      await applyCardAction(trx, suspended.cardId, { kind: 'suspend' }, change);
    });
    await new Promise((resolve) => setTimeout(resolve, 1000));
    for (const client of [a, b]) {
      expect((await tapWith(client, revoked)).body).to.include({ decision: 'denied', reason: 'card_revoked' });
      expect((await tapWith(client, suspended)).body).to.include({ decision: 'denied', reason: 'card_suspended' });
    }
  });
});
