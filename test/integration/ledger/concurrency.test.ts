import { expect } from 'chai';
import { openDatabase, type Database } from '../../../shared/db/index.js';
import { balanceOf, TransferBatcher, transfer, verifyLedger, type TransferInput, type TransferOutcome } from '../../../shared/ledger/index.js';
import { createTestDatabase, onPostgres, type TestDatabase } from '../../support/test-database.js';
import { countRows, fundedPurse, spend } from './support/ledger-fixtures.js';

const DEBITS = 64;
const PENCE = 100;
const FUNDED = 5_000; // room for 50 of the 64 debits

type Mover = (input: TransferInput) => Promise<TransferOutcome>;

/**
 * 64 debits race on one purse. PostgreSQL only: PGlite has a single connection, so nothing
 * can race there and a pass would prove nothing.
 */
describe('ledger: 64 concurrent debits on one account (PostgreSQL)', function () {
  this.timeout(60_000);
  let db: TestDatabase;
  // Two pools stand for two platform processes: they share nothing but the database.
  let processA: Database;
  let processB: Database;
  const batchers: TransferBatcher[] = [];

  before(async function () {
    if (!onPostgres) {
      console.log('    (skipped: set DATABASE_URL to run; PGlite has one connection, so debits cannot race there)');
      this.skip();
    }
    db = await createTestDatabase();
    processA = openDatabase({ databaseUrl: db.url!, poolMax: 32 });
    processB = openDatabase({ databaseUrl: db.url!, poolMax: 32 });
  });
  after(async () => {
    for (const batcher of batchers) await batcher.close();
    await processA?.close();
    await processB?.close();
    await db?.dispose();
  });

  function batcherOn(pool: Database): TransferBatcher {
    const batcher = new TransferBatcher(pool);
    batchers.push(batcher);
    return batcher;
  }

  async function race(movers: Mover[]) {
    const { purse, till } = await fundedPurse(db, FUNDED);
    const inputs = Array.from({ length: DEBITS }, () => spend(purse, till, PENCE));
    const settled = await Promise.allSettled(inputs.map((input, i) => movers[i % movers.length]!(input)));
    // Every key again, at once, through the other movers: nothing may be applied twice.
    const replays = await Promise.allSettled(inputs.map((input, i) => movers[(i + 1) % movers.length]!(input)));
    return { purse, till, inputs, settled, replays };
  }

  async function expectExact({ purse, till, settled, replays }: Awaited<ReturnType<typeof race>>) {
    const applied = settled.filter((s) => s.status === 'fulfilled');
    const refused = settled.filter((s): s is PromiseRejectedResult => s.status === 'rejected');
    expect(refused.map((r) => (r.reason as { code?: string }).code ?? String(r.reason))).to.deep.equal(Array(DEBITS - FUNDED / PENCE).fill('ERR_INSUFFICIENT_FUNDS'));
    expect(applied).to.have.length(FUNDED / PENCE);
    expect(await balanceOf(db, purse.id)).to.equal(0);
    expect(await balanceOf(db, till.id)).to.equal(FUNDED);
    expect(await countRows(db, 'ledger_transfers', [till.id])).to.equal(FUNDED / PENCE);
    expect(await countRows(db, 'ledger_idempotency', [purse.id])).to.equal(FUNDED / PENCE);
    for (const [i, replay] of replays.entries()) {
      const first = settled[i]!;
      if (first.status === 'fulfilled') {
        expect(replay.status).to.equal('fulfilled');
        expect((replay as PromiseFulfilledResult<TransferOutcome>).value).to.deep.equal({ result: first.value.result, replayed: true });
      } else {
        expect((replay as PromiseRejectedResult).reason.code).to.equal('ERR_INSUFFICIENT_FUNDS');
      }
    }
    expect((await verifyLedger(db)).problems).to.deep.equal([]);
  }

  it('plain path (a transaction per debit) from two processes: exact balance, no overdraft, each key once', async () => {
    await expectExact(await race([(i) => transfer(processA, i), (i) => transfer(processB, i)]));
  });

  it('batching engine in one process: the same guarantees', async () => {
    const batcher = batcherOn(processA);
    await expectExact(await race([(i) => batcher.transfer(i)]));
  });

  it('batching engines in two processes plus the plain path, all on one account: the same guarantees', async () => {
    const a = batcherOn(processA);
    const b = batcherOn(processB);
    await expectExact(await race([(i) => a.transfer(i), (i) => b.transfer(i), (i) => transfer(processB, i)]));
  });

  it('the same key sent to two processes at the same moment is applied once', async () => {
    const { purse, till } = await fundedPurse(db, FUNDED);
    const a = batcherOn(processA);
    const b = batcherOn(processB);
    const inputs = Array.from({ length: 32 }, () => spend(purse, till, PENCE));
    const outcomes = await Promise.all(inputs.flatMap((input) => [a.transfer(input), b.transfer(input), transfer(processA, input)]));
    for (let i = 0; i < outcomes.length; i += 3) {
      const trio = outcomes.slice(i, i + 3);
      expect(trio.filter((o) => !o.replayed)).to.have.length(1);
      expect(new Set(trio.map((o) => o.result.transfer.id)).size).to.equal(1);
    }
    expect(await balanceOf(db, purse.id)).to.equal(FUNDED - 32 * PENCE);
    expect(await countRows(db, 'ledger_transfers', [till.id])).to.equal(32);
  });
});
