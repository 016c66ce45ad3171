import { expect } from 'chai';
import { sharedTestDatabase, type TestDatabase } from '../../support/test-database.js';
import { balanceOf, TransferBatcher, transfer, verifyLedger } from '../../../shared/ledger/index.js';
import { codeOf, countRows, fundedPurse, newKey, spend } from './support/ledger-fixtures.js';

describe('ledger: the batching engine', () => {
  let db: TestDatabase;
  before(async () => {
    db = await sharedTestDatabase();
  });

  it('applies the transfers that arrive together in one transaction, each with its own rows and answer', async () => {
    const { purse, till } = await fundedPurse(db, 1000);
    const sizes: number[] = [];
    const batcher = new TransferBatcher(db, { onBatch: (size) => sizes.push(size) });
    const outcomes = await Promise.all(Array.from({ length: 20 }, () => batcher.transfer(spend(purse, till, 10))));
    expect(sizes).to.deep.equal([20]);
    expect(new Set(outcomes.map((o) => o.result.transfer.id)).size).to.equal(20);
    expect(outcomes.map((o) => o.result.debitBalanceAfter)).to.deep.equal(Array.from({ length: 20 }, (_, i) => 990 - 10 * i));
    expect(await countRows(db, 'ledger_idempotency', [purse.id])).to.equal(20);
    expect(await balanceOf(db, purse.id)).to.equal(800);
    await batcher.close();
  });

  it('caps a batch at maxBatchSize and queues the rest, and what arrives later, for the next', async () => {
    const { purse, till } = await fundedPurse(db, 1000);
    const sizes: number[] = [];
    const batcher = new TransferBatcher(db, { onBatch: (size) => sizes.push(size), maxConcurrentBatches: 1, maxBatchSize: 8 });
    const first = Promise.all(Array.from({ length: 12 }, () => batcher.transfer(spend(purse, till, 10))));
    await new Promise((resolve) => setImmediate(resolve));
    const second = Promise.all(Array.from({ length: 5 }, () => batcher.transfer(spend(purse, till, 10))));
    await Promise.all([first, second]);
    expect(sizes[0]).to.equal(8);
    expect(sizes.every((size) => size <= 8)).to.equal(true);
    expect(sizes.reduce((a, b) => a + b)).to.equal(17);
    expect(await balanceOf(db, purse.id)).to.equal(1000 - 170);
    await batcher.close();
  });

  it('refuses the debit that would cross the floor alone while the rest of its batch commits', async () => {
    const { purse, till } = await fundedPurse(db, 100);
    const batcher = new TransferBatcher(db);
    const amounts = [30, 30, 50, 30, 10];
    const settled = await Promise.allSettled(amounts.map((amount) => batcher.transfer(spend(purse, till, amount))));
    expect(settled.map((s) => (s.status === 'fulfilled' ? s.value.result.debitBalanceAfter : (s.reason as { code: string }).code))).to.deep.equal([
      70, 40, 'ERR_INSUFFICIENT_FUNDS', 10, 0,
    ]);
    expect(await balanceOf(db, purse.id)).to.equal(0);
    await batcher.close();
  });

  it('answers a key repeated within one batch once, and a key already stored with its first result', async () => {
    const { purse, till } = await fundedPurse(db, 1000);
    const stored = spend(purse, till, 5);
    const first = await transfer(db, stored);
    const batcher = new TransferBatcher(db);
    const repeated = spend(purse, till, 7);
    const settled = await Promise.allSettled([
      batcher.transfer(spend(purse, till, 1)),
      batcher.transfer(repeated),
      batcher.transfer(repeated),
      batcher.transfer({ ...repeated, amount: 8 }),
      batcher.transfer(stored),
    ]);
    const values = settled.map((s) => (s.status === 'fulfilled' ? s.value : (s.reason as { code: string }).code));
    expect(values[2]).to.deep.equal({ result: (values[1] as { result: unknown }).result, replayed: true });
    expect(values[3]).to.equal('ERR_IDEMPOTENCY_MISMATCH');
    expect(values[4]).to.deep.equal({ result: first.result, replayed: true });
    expect(await balanceOf(db, purse.id)).to.equal(1000 - 5 - 1 - 7);
    await batcher.close();
  });

  it('rejects a malformed request at once, without holding up the queue', async () => {
    const { purse, till } = await fundedPurse(db, 100);
    const batcher = new TransferBatcher(db);
    expect(await codeOf(batcher.transfer({ ...spend(purse, till, 10), amount: 1.5 }))).to.equal('ERR_AMOUNT_INVALID');
    expect(await codeOf(batcher.transfer({ ...spend(purse, till, 10), idempotencyKey: '' }))).to.equal('ERR_IDEMPOTENCY_KEY_INVALID');
    await batcher.close();
  });

  it('when a whole batch fails unexpectedly, retries each transfer alone so only the cause fails', async () => {
    const { purse, till } = await fundedPurse(db, 1000);
    // A stand-in for any unforeseen failure: the database refuses one particular row.
    await db.knex.raw(`create function ledger_test_poison() returns trigger language plpgsql as $$
      begin if new.reason = 'poison' then raise exception 'poisoned row'; end if; return new; end $$`);
    await db.knex.raw('create trigger ledger_test_poison before insert on ledger_transfers for each row execute function ledger_test_poison()');
    try {
      const batcher = new TransferBatcher(db);
      const inputs = [spend(purse, till, 10), spend(purse, till, 20), { ...spend(purse, till, 30), reason: 'poison' }, spend(purse, till, 40)];
      const settled = await Promise.allSettled(inputs.map((input) => batcher.transfer(input)));
      expect(settled.map((s) => s.status)).to.deep.equal(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
      expect(String((settled[2] as PromiseRejectedResult).reason)).to.match(/poisoned row/);
      expect(await balanceOf(db, purse.id)).to.equal(1000 - 70);
      await batcher.close();
    } finally {
      await db.knex.raw('drop trigger ledger_test_poison on ledger_transfers');
      await db.knex.raw('drop function ledger_test_poison()');
    }
  });

  it('sends reversals down the plain path with the same contract', async () => {
    const { purse, till } = await fundedPurse(db, 100);
    const batcher = new TransferBatcher(db);
    const sale = await batcher.transfer(spend(purse, till, 60));
    const refund = await batcher.transfer({ ...spend(till, purse, 60), reversesTransferId: sale.result.transfer.id });
    expect(refund.result.creditBalanceAfter).to.equal(100);
    expect(await codeOf(batcher.transfer({ ...spend(till, purse, 1), reversesTransferId: sale.result.transfer.id }))).to.equal('ERR_REVERSAL_EXCEEDS_ORIGINAL');
    await batcher.close();
  });

  it('finishes queued work on close and refuses new work afterwards', async () => {
    const { purse, till } = await fundedPurse(db, 100);
    const batcher = new TransferBatcher(db);
    const pending = [batcher.transfer(spend(purse, till, 10)), batcher.transfer(spend(purse, till, 10))];
    await batcher.close();
    expect((await Promise.all(pending)).map((o) => o.result.debitBalanceAfter)).to.deep.equal([90, 80]);
    expect(await codeOf(batcher.transfer(spend(purse, till, 10, newKey())))).to.equal('ERR_SHUTTING_DOWN');
    expect((await verifyLedger(db)).problems).to.deep.equal([]);
  });
});
