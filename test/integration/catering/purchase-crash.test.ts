import { expect } from 'chai';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { balanceOf } from '../../../shared/ledger/index.js';
import { freePort } from '../../../services/ledger/testing/spawn-platform.js';
import { createTestDatabase, onPostgres, type TestDatabase } from '../../support/test-database.js';
import { runTessera } from '../ledger/support/run-cli.js';
import { basket, cateringMigrations, pupilAt, schoolWithTill } from './support/catering-fixture.js';

const CLIENTS = 8;
const PUPILS = 10;
const PURSE = 100_000;
const MEAL = 250;
const runner = fileURLToPath(new URL('./support/purchase-platform.ts', import.meta.url));

interface Child {
  readonly url: string;
  readonly process: ChildProcess;
  readonly exited: Promise<void>;
}

async function startChild(databaseUrl: string, port: number, kek: string): Promise<Child> {
  const child = spawn(process.execPath, ['--import', 'tsx', runner], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', DATABASE_URL: databaseUrl, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'silent', TESSERA_KEK: kek, TESSERA_SEED_DEMO: 'false' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    let stdout = '';
    const timer = setTimeout(() => reject(new Error(`platform did not start within 60 s: ${stderr}`)), 60_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const match = /listening (\S+)/.exec(stdout);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`platform exited (${code ?? signal}) before listening: ${stderr}`));
    });
  });
  return { url, process: child, exited };
}

/**
 * kill -9 the platform while purchases stream through catering's decide(), restart it, decide
 * every unanswered tap again, and check the ledger and the sales. PostgreSQL only: the platform
 * runs as a separate process, which an in-memory PGlite database cannot be shared with.
 */
describe('catering: crash of the platform during a stream of purchases (PostgreSQL)', function () {
  this.timeout(180_000);
  let db: TestDatabase;
  let child: Child | undefined;

  before(async function () {
    if (!onPostgres) {
      console.log('    (skipped: set DATABASE_URL to run; the platform child cannot share an in-memory PGlite database)');
      this.skip();
    }
    db = await createTestDatabase({ migrations: cateringMigrations });
  });
  after(async () => {
    if (child) {
      child.process.kill('SIGKILL');
      await child.exited;
    }
    await db?.dispose();
  });

  it('after kill -9 and a restart, ledger verify is clean and every acknowledged purchase is there exactly once', async () => {
    const { till } = await schoolWithTill(db.knex, { fsmAllowancePence: 0 });
    const pupils = await Promise.all(Array.from({ length: PUPILS }, () => pupilAt(db.knex, till.schoolId, {}, PURSE)));
    const port = await freePort();
    const kek = randomBytes(32).toString('base64');
    child = await startChild(db.url!, port, kek);

    const buy = async (url: string, tapId: string, cardholderId: string) => {
      const response = await fetch(`${url}/v1/test-taps/purchases`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ tapId, readerId: till.readerId, cardholderId, basket: basket(['MEAL', 1, MEAL]) }),
      });
      const body = (await response.json()) as { decision?: string; reason?: string };
      if (response.status !== 200 || body.decision !== 'granted') throw new Error(`unexpected ${response.status}: ${JSON.stringify(body)}`);
    };

    const acknowledged = new Map<string, string>();
    const unanswered = new Map<string, string>();
    let killed = false;
    const streams = Array.from({ length: CLIENTS }, async (_, client) => {
      for (let i = 0; !killed; i++) {
        const tapId = randomUUID();
        const cardholderId = pupils[(client + i) % PUPILS]!.cardholderId;
        try {
          await buy(child!.url, tapId, cardholderId);
          acknowledged.set(tapId, cardholderId);
        } catch (error) {
          if (!killed) throw error;
          unanswered.set(tapId, cardholderId);
        }
      }
    });
    let failure: unknown;
    streams.forEach((stream) => stream.catch((error: unknown) => (failure ??= error)));
    while (acknowledged.size < 150 && failure === undefined) await new Promise((resolve) => setTimeout(resolve, 5));
    if (failure !== undefined) throw failure;
    killed = true;
    child.process.kill('SIGKILL');
    await child.exited;
    await Promise.all(streams);

    const afterCrash = await runTessera(['ledger', 'verify'], { DATABASE_URL: db.url! });
    expect(afterCrash.code, afterCrash.stderr).to.equal(0);

    const committed = await db.knex('catering_sales').whereIn('tap_id', [...unanswered.keys()]).count({ n: '*' });
    // Restart and decide every unanswered tap again: a sale committed before the crash is answered, not charged twice.
    child = await startChild(db.url!, port, kek);
    for (const [tapId, cardholderId] of unanswered) await buy(child.url, tapId, cardholderId);
    child.process.kill('SIGTERM');
    await child.exited;
    child = undefined;

    const verified = await runTessera(['ledger', 'verify'], { DATABASE_URL: db.url! });
    expect(verified.code, verified.stderr).to.equal(0);
    expect(verified.stdout).to.match(/no problems/);

    const sales = (await db.knex('catering_sales').select('tap_id', 'cardholder_id', 'total_pence')) as { tap_id: string; cardholder_id: string }[];
    const perTap = new Map<string, number>();
    for (const s of sales) perTap.set(s.tap_id, (perTap.get(s.tap_id) ?? 0) + 1);
    for (const tapId of [...acknowledged.keys(), ...unanswered.keys()]) expect(perTap.get(tapId), tapId).to.equal(1);
    expect(sales.length).to.equal(acknowledged.size + unanswered.size);
    const transfers = (await db.knex('ledger_transfers').whereNotNull('tap_id').select('tap_id')) as { tap_id: string }[];
    expect(transfers.length).to.equal(sales.length);
    expect(new Set(transfers.map((t) => t.tap_id)).size).to.equal(sales.length);
    expect(await balanceOf(db, till.takingsAccountId)).to.equal(MEAL * sales.length);
    for (const pupil of pupils) {
      const bought = sales.filter((s) => s.cardholder_id === pupil.cardholderId).length;
      expect(await balanceOf(db, pupil.purseAccountId)).to.equal(PURSE - MEAL * bought);
    }
    console.log(`    (${acknowledged.size} acknowledged before the crash; ${unanswered.size} unanswered, of which ${Number(committed[0]!.n)} had committed, all decided again)`);
  });
});
