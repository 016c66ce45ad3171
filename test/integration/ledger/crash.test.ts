import { expect } from 'chai';
import { randomBytes, randomUUID } from 'node:crypto';
import { balanceOf } from '../../../shared/ledger/index.js';
import { JsonClient } from '../../../bench/support/json-client.js';
import { freePort, spawnPlatform, type PlatformProcess } from '../../../services/ledger/testing/spawn-platform.js';
import { createTestDatabase, onPostgres, type TestDatabase } from '../../support/test-database.js';
import { fundedPurse } from './support/ledger-fixtures.js';
import { runTessera } from './support/run-cli.js';

const CLIENTS = 16;
const PENCE = 7;

const USERNAME = 'crash-test-finance';
const PASSWORD = 'a long crash-test password';

/** Signs in as the finance staff member the test created with `tessera staff add`. */
async function signIn(baseUrl: string): Promise<string> {
  const response = await fetch(`${baseUrl}/v1/sessions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: USERNAME, password: PASSWORD }),
  });
  const body = (await response.json()) as { token?: string };
  if (response.status !== 201 || !body.token) throw new Error(`sign-in failed: ${response.status} ${JSON.stringify(body)}`);
  return body.token;
}

/**
 * kill -9 the platform (`node bin/tessera.js start`, every service) while debits stream
 * through its API as a signed-in finance staff member, restart it, retry what was never
 * answered with the same keys, and check the ledger with `tessera ledger verify`.
 * PostgreSQL only: the platform runs as a separate process, which an in-memory PGlite
 * database cannot be shared with.
 */
describe('ledger: crash of the platform during a stream of debits (PostgreSQL)', function () {
  this.timeout(120_000);
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
    await platform?.stop().catch(() => undefined);
    await db?.dispose();
  });

  it('after kill -9 and a restart, verify is clean and every acknowledged debit is there exactly once', async () => {
    const { purse, till } = await fundedPurse(db, 10_000_000);
    const port = await freePort();
    // The same key-encryption key across the restart, as an operator's deployment would keep it.
    const kek = randomBytes(32).toString('base64');
    platform = await spawnPlatform({ databaseUrl: db.url!, port, kek, via: 'tessera-start' });
    const added = await runTessera(['staff', 'add', USERNAME, '--role', 'finance', '--password-stdin'], { DATABASE_URL: db.url! }, PASSWORD);
    expect(added.code, added.stderr).to.equal(0);
    const client = new JsonClient(platform.url, await signIn(platform.url), CLIENTS);
    const body = { debitAccountId: purse.id, creditAccountId: till.id, amount: PENCE, currency: 'GBP', reason: 'crash test' };
    const acknowledged = new Set<string>();
    const unanswered = new Set<string>();
    let killed = false;

    // Stream debits; pull the plug once a good number have been answered, while others are in flight.
    const streams = Array.from({ length: CLIENTS }, async () => {
      while (!killed) {
        const key = randomUUID();
        try {
          const response = await client.post('/v1/ledger/transfers', body, { 'idempotency-key': key });
          if (response.status !== 201) throw new Error(`unexpected ${response.status}: ${response.text}`);
          acknowledged.add(key);
        } catch (error) {
          if (!killed) throw error;
          unanswered.add(key);
        }
      }
    });
    while (acknowledged.size < 200) await new Promise((resolve) => setTimeout(resolve, 5));
    killed = true;
    await platform.kill9();
    await Promise.all(streams);
    await client.close();

    // Whatever the crash cut short, what is in the database is sound.
    const afterCrash = await runTessera(['ledger', 'verify'], { DATABASE_URL: db.url! });
    expect(afterCrash.code, afterCrash.stderr).to.equal(0);

    // Restart and retry every unanswered request with its own key: each lands at most once.
    platform = await spawnPlatform({ databaseUrl: db.url!, port, kek, via: 'tessera-start' });
    const retryClient = new JsonClient(platform.url, await signIn(platform.url), CLIENTS);
    let replayed = 0;
    for (const key of unanswered) {
      const response = await retryClient.post('/v1/ledger/transfers', body, { 'idempotency-key': key });
      expect(response.status, response.text).to.equal(201);
      // Committed before the crash but never answered: the retry is a replay, not a second debit.
      if (response.headers['idempotent-replayed'] === 'true') replayed += 1;
      const again = await retryClient.post('/v1/ledger/transfers', body, { 'idempotency-key': key });
      expect(again.text).to.equal(response.text);
      expect(again.headers['idempotent-replayed']).to.equal('true');
    }
    await retryClient.close();
    await platform.stop();
    platform = undefined;

    const verified = await runTessera(['ledger', 'verify'], { DATABASE_URL: db.url! });
    expect(verified.code, verified.stderr).to.equal(0);
    expect(verified.stdout).to.match(/no problems/);

    const rows = (await db.knex('ledger_idempotency as i')
      .join('ledger_transfers as t', 't.id', 'i.transfer_id')
      .where('t.debit_account_id', purse.id)
      .select('i.key')) as { key: string }[];
    const stored = new Map<string, number>();
    for (const { key } of rows) stored.set(key, (stored.get(key) ?? 0) + 1);
    for (const key of acknowledged) expect(stored.get(key), `acknowledged ${key}`).to.equal(1);
    for (const key of unanswered) expect(stored.get(key), `retried ${key}`).to.equal(1);
    expect(stored.size).to.equal(acknowledged.size + unanswered.size);
    expect(await balanceOf(db, purse.id)).to.equal(10_000_000 - PENCE * stored.size);
    console.log(`    (${acknowledged.size} acknowledged before the crash; ${unanswered.size} unanswered, of which ${replayed} had committed)`);
  });
});
