import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
import { balanceOf, transfer } from '../../../shared/ledger/index.js';
import { SealedBox } from '../../../shared/secrets/index.js';
import { issueSoftwareCard, type SoftwareCard } from '../../../services/auth/testing/software-card.js';
import { tapWith } from '../../../services/auth/testing/tap-client.js';
import { PlatformPki } from '../../../services/identity/pki/index.js';
import { freePort, spawnPlatform, type PlatformProcess } from '../../../services/ledger/testing/spawn-platform.js';
import { putPupil, putTill } from '../../../services/modules/catering/setup.js';
import { createTestDatabase, onPostgres, type TestDatabase } from '../../support/test-database.js';
import { runTessera } from '../ledger/support/run-cli.js';
import { basket, schoolWithTill } from './support/catering-fixture.js';

const CARDS = 6;
const PURSE = 100_000;
const MEAL = 250;

/**
 * The real thing: `tessera start` (every service), a till registered with `tessera reader add`,
 * software cards signing each basket, purchases streaming through the tap API; kill -9 the
 * platform mid-stream, restart it, and check with `tessera ledger verify` and the sales that
 * every acknowledged purchase is there exactly once and nothing else moved. PostgreSQL only:
 * the platform child cannot share an in-memory PGlite database.
 */
describe('catering: crash of `tessera start` during a stream of purchases through the tap API (PostgreSQL)', function () {
  this.timeout(240_000);
  let db: TestDatabase;
  let platform: PlatformProcess | undefined;

  before(async function () {
    if (!onPostgres) {
      console.log('    (skipped: set DATABASE_URL to run; the platform child cannot share an in-memory PGlite database)');
      this.skip();
    }
    db = await createTestDatabase();
  });
  after(async () => {
    await platform?.kill9().catch(() => undefined);
    await db?.dispose();
  });

  it('after kill -9 and a restart, ledger verify is clean and every acknowledged purchase is there exactly once', async () => {
    const port = await freePort();
    const kek = randomBytes(32).toString('base64');
    const env = { TESSERA_CARD_TAPS_PER_MINUTE: '1000000', TESSERA_READER_RATE_PER_SECOND: '100000' };
    // The first start migrates everything (catering's tables too) and creates the CA.
    platform = await spawnPlatform({ databaseUrl: db.url!, port, kek, via: 'tessera-start', env });
    const added = await runTessera(['reader', 'add', 'crash-test-till', '--kind', 'till', '--site', 'School', '--module', 'catering'], { DATABASE_URL: db.url!, TESSERA_KEK: kek });
    expect(added.code, added.stderr).to.equal(0);
    const readerId = /\(([0-9a-f-]{36})\)/.exec(added.stdout)![1]!;
    const credential = added.stdout.trim().split('\n').pop()!;

    const { school } = await schoolWithTill(db.knex, { fsmAllowancePence: 0 });
    const till = await putTill(db.knex, readerId, { schoolId: school.id, name: 'Hall' }, 'manager-1');
    const pki = new PlatformPki({ db, secrets: new SealedBox(Buffer.from(kek, 'base64')), now: () => new Date(), organisation: 'Demo Council', crlUrl: 'http://localhost/v1/pki/crl' });
    const cards: { card: SoftwareCard; purse: string }[] = [];
    for (let i = 0; i < CARDS; i++) {
      const card = await issueSoftwareCard(db.knex, pki, { kind: 'pupil' });
      const pupil = await putPupil(db.knex, card.cardholderId, { schoolId: school.id }, 'manager-1');
      await transfer(db.knex, { idempotencyKey: `crash-top-up-${i}-${card.cardholderId}`, debitAccountId: school.topupAccountId, creditAccountId: pupil.purseAccountId, amount: PURSE, currency: 'GBP', reason: 'top-up', module: 'catering' });
      cards.push({ card, purse: pupil.purseAccountId });
    }
    const payload = new TextEncoder().encode(JSON.stringify(basket(['MEAL', 1, MEAL])));

    const acknowledged = new Set<string>();
    let killed = false;
    let failure: unknown;
    const streams = cards.map(async ({ card }) => {
      while (!killed) {
        try {
          const result = await tapWith({ baseUrl: platform!.url, credential }, card, { purpose: 'till.purchase', target: 'Hall', payload });
          if (result.status !== 200 || result.body.decision !== 'granted') throw new Error(`unexpected ${result.status}: ${JSON.stringify(result.body)}`);
          acknowledged.add(result.tapId);
        } catch (error) {
          if (!killed) failure ??= error;
          return;
        }
      }
    });
    while (acknowledged.size < 120 && failure === undefined) await new Promise((resolve) => setTimeout(resolve, 5));
    killed = true;
    await platform.kill9();
    await Promise.all(streams);
    if (failure !== undefined) throw failure;

    const afterCrash = await runTessera(['ledger', 'verify'], { DATABASE_URL: db.url! });
    expect(afterCrash.code, afterCrash.stderr).to.equal(0);

    // It starts again on the same database and key, and sells again.
    platform = await spawnPlatform({ databaseUrl: db.url!, port, kek, via: 'tessera-start', env });
    const again = await tapWith({ baseUrl: platform.url, credential }, cards[0]!.card, { purpose: 'till.purchase', target: 'Hall', payload });
    expect(again.body).to.include({ decision: 'granted' });
    acknowledged.add(again.tapId);
    await platform.stop();
    platform = undefined;

    const verified = await runTessera(['ledger', 'verify'], { DATABASE_URL: db.url! });
    expect(verified.code, verified.stderr).to.equal(0);
    expect(verified.stdout).to.match(/no problems/);

    const sales = (await db.knex('catering_sales').select('tap_id', 'cardholder_id')) as { tap_id: string; cardholder_id: string }[];
    const perTap = new Map<string, number>();
    for (const s of sales) perTap.set(s.tap_id, (perTap.get(s.tap_id) ?? 0) + 1);
    for (const tapId of acknowledged) expect(perTap.get(tapId), `acknowledged ${tapId}`).to.equal(1);
    // Sales committed but never answered (cut off by the crash) are at most one per tap in flight.
    expect(sales.length).to.be.within(acknowledged.size, acknowledged.size + CARDS);
    const transfers = (await db.knex('ledger_transfers').whereNotNull('tap_id').select('tap_id')) as { tap_id: string }[];
    expect(transfers.length).to.equal(sales.length);
    expect(new Set(transfers.map((t) => t.tap_id))).to.deep.equal(new Set(sales.map((s) => s.tap_id)));
    expect(await balanceOf(db, till.takingsAccountId)).to.equal(MEAL * sales.length);
    for (const { card, purse } of cards) {
      const bought = sales.filter((s) => s.cardholder_id === card.cardholderId).length;
      expect(await balanceOf(db, purse)).to.equal(PURSE - MEAL * bought);
    }
    console.log(`    (${acknowledged.size} acknowledged; ${sales.length - acknowledged.size} committed but cut off by the crash)`);
  });
});
