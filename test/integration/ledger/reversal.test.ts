import { expect } from 'chai';
import { sharedTestDatabase, type TestDatabase } from '../../support/test-database.js';
import { balanceOf, getTransferRecord, reverseTransfer, transfer } from '../../../shared/ledger/index.js';
import { codeOf, fundedPurse, newKey, spend } from './support/ledger-fixtures.js';

describe('ledger: reversals and refunds', () => {
  let db: TestDatabase;
  before(async () => {
    db = await sharedTestDatabase();
  });

  const refund = (transferId: string, amount?: number, idempotencyKey = newKey()) => ({
    idempotencyKey,
    transferId,
    reason: 'refund',
    module: 'catering',
    ...(amount === undefined ? {} : { amount }),
  });

  it('records a refund as a new transfer in the opposite direction that refers to the original', async () => {
    const { purse, till } = await fundedPurse(db, 1000);
    const sale = await transfer(db, spend(purse, till, 400));
    const { result } = await reverseTransfer(db, refund(sale.result.transfer.id, 150));
    expect(result.transfer).to.include({ debitAccountId: till.id, creditAccountId: purse.id, amount: 150, reversesTransferId: sale.result.transfer.id });
    expect(await balanceOf(db, purse.id)).to.equal(750);
    expect((await getTransferRecord(db, sale.result.transfer.id)).reversedAmount).to.equal(150);
    // The original is untouched: transfers are never updated.
    expect((await getTransferRecord(db, sale.result.transfer.id)).amount).to.equal(400);
  });

  it('never lets reversals together exceed the original, however they are split', async () => {
    const { purse, till } = await fundedPurse(db, 1000);
    const sale = (await transfer(db, spend(purse, till, 400))).result.transfer.id;
    await reverseTransfer(db, refund(sale, 300));
    expect(await codeOf(reverseTransfer(db, refund(sale, 101)))).to.equal('ERR_REVERSAL_EXCEEDS_ORIGINAL');
    await reverseTransfer(db, refund(sale, 100));
    expect(await codeOf(reverseTransfer(db, refund(sale)))).to.equal('ERR_REVERSAL_EXCEEDS_ORIGINAL');
    expect(await balanceOf(db, purse.id)).to.equal(1000);
  });

  it('reverses the whole amount by default, once; a retry with the same key replays it', async () => {
    const { purse, till } = await fundedPurse(db, 1000);
    const sale = (await transfer(db, spend(purse, till, 250))).result.transfer.id;
    const key = newKey();
    const first = await reverseTransfer(db, refund(sale, undefined, key));
    const again = await reverseTransfer(db, refund(sale, undefined, key));
    expect(first.result.transfer.amount).to.equal(250);
    expect(again).to.deep.equal({ result: first.result, replayed: true });
    expect(await codeOf(reverseTransfer(db, refund(sale, undefined)))).to.equal('ERR_REVERSAL_EXCEEDS_ORIGINAL');
    expect(await codeOf(reverseTransfer(db, refund(sale, 10, key)))).to.equal('ERR_IDEMPOTENCY_MISMATCH');
  });

  it('refuses to reverse a reversal, an unknown transfer, or a transfer made in the other direction', async () => {
    const { purse, till } = await fundedPurse(db, 1000);
    const sale = (await transfer(db, spend(purse, till, 250))).result.transfer.id;
    const reversal = (await reverseTransfer(db, refund(sale, 50))).result.transfer.id;
    expect(await codeOf(reverseTransfer(db, refund(reversal, 10)))).to.equal('ERR_REVERSAL_INVALID');
    expect(await codeOf(reverseTransfer(db, refund('00000000-0000-4000-8000-000000000000', 10)))).to.equal('ERR_TRANSFER_NOT_FOUND');
    expect(await codeOf(transfer(db, { ...spend(purse, till, 10), reversesTransferId: sale }))).to.equal('ERR_REVERSAL_INVALID');
  });

  it('respects the floor: a load cannot be reversed out of a purse that has spent it', async () => {
    const { funding, purse, till } = await fundedPurse(db, 0);
    const loadId = (await transfer(db, { idempotencyKey: newKey(), debitAccountId: funding.id, creditAccountId: purse.id, amount: 500, currency: 'GBP', reason: 'load', module: 'budgets' })).result.transfer.id;
    await transfer(db, spend(purse, till, 400));
    expect(await codeOf(reverseTransfer(db, { ...refund(loadId), module: 'budgets' }))).to.equal('ERR_INSUFFICIENT_FUNDS');
    await reverseTransfer(db, { ...refund(loadId, 100), module: 'budgets' });
    expect(await balanceOf(db, purse.id)).to.equal(0);
  });

  it('serialises concurrent reversals of one transfer so they still cannot exceed it', async () => {
    const { purse, till } = await fundedPurse(db, 1000);
    const sale = (await transfer(db, spend(purse, till, 300))).result.transfer.id;
    const attempts = await Promise.allSettled(Array.from({ length: 8 }, () => reverseTransfer(db, refund(sale, 100))));
    expect(attempts.filter((a) => a.status === 'fulfilled')).to.have.length(3);
    expect((await getTransferRecord(db, sale)).reversedAmount).to.equal(300);
  });
});
