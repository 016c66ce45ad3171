import { expect } from 'chai';
import { sharedTestDatabase, type TestDatabase } from '../../support/test-database.js';
import { accountStatement, balanceOf, getAccount, openAccount, transfer } from '../../../shared/ledger/index.js';
import { codeOf, countRows, fundedPurse, newKey, spend } from './support/ledger-fixtures.js';

describe('ledger: transfers', () => {
  let db: TestDatabase;
  before(async () => {
    db = await sharedTestDatabase();
  });

  it('moves money from the debit account to the credit account and records two entries', async () => {
    const { funding, purse, till } = await fundedPurse(db, 1000);
    const { result, replayed } = await transfer(db, { ...spend(purse, till, 230), tapId: 'tap-1', staffId: 'staff-9', metadata: { basket: 'soup' } });
    expect(replayed).to.equal(false);
    expect(result.debitBalanceAfter).to.equal(770);
    expect(result.creditBalanceAfter).to.equal(230);
    expect(result.transfer).to.include({ amount: 230, currency: 'GBP', module: 'catering', tapId: 'tap-1', staffId: 'staff-9' });
    expect(await balanceOf(db, purse.id)).to.equal(770);
    expect(await balanceOf(db, till.id)).to.equal(230);
    expect(await balanceOf(db, funding.id)).to.equal(-1000);
    expect(await countRows(db, 'ledger_entries', [purse.id])).to.equal(2);
  });

  it('replays the same key and body: the first result again, nothing new written', async () => {
    const { purse, till } = await fundedPurse(db, 1000);
    const input = { ...spend(purse, till, 100), metadata: { a: 1, b: 'two' } };
    const first = await transfer(db, input);
    const again = await transfer(db, { ...input, metadata: { b: 'two', a: 1 } });
    expect(again.replayed).to.equal(true);
    expect(again.result).to.deep.equal(first.result);
    expect(await balanceOf(db, purse.id)).to.equal(900);
    expect(await countRows(db, 'ledger_transfers', [till.id])).to.equal(1);
  });

  it('refuses the same key with another body (409) and leaves the first transfer alone', async () => {
    const { purse, till } = await fundedPurse(db, 1000);
    const input = spend(purse, till, 100);
    await transfer(db, input);
    expect(await codeOf(transfer(db, { ...input, amount: 101 }))).to.equal('ERR_IDEMPOTENCY_MISMATCH');
    expect(await codeOf(transfer(db, { ...input, reason: 'dinner' }))).to.equal('ERR_IDEMPOTENCY_MISMATCH');
    expect(await balanceOf(db, purse.id)).to.equal(900);
  });

  it('refuses a debit below the floor, writes nothing, and leaves the key free for a later retry', async () => {
    const { funding, purse, till } = await fundedPurse(db, 100);
    const input = spend(purse, till, 150);
    expect(await codeOf(transfer(db, input))).to.equal('ERR_INSUFFICIENT_FUNDS');
    expect(await balanceOf(db, purse.id)).to.equal(100);
    expect(await countRows(db, 'ledger_entries', [till.id])).to.equal(0);
    await transfer(db, { idempotencyKey: newKey(), debitAccountId: funding.id, creditAccountId: purse.id, amount: 100, currency: 'GBP', reason: 'top-up', module: 'budgets' });
    const retried = await transfer(db, input);
    expect(retried.replayed).to.equal(false);
    expect(retried.result.debitBalanceAfter).to.equal(50);
  });

  it('takes a purse exactly to its floor, not past it', async () => {
    const { purse, till } = await fundedPurse(db, 500);
    await transfer(db, spend(purse, till, 500));
    expect(await balanceOf(db, purse.id)).to.equal(0);
    expect(await codeOf(transfer(db, spend(purse, till, 1)))).to.equal('ERR_INSUFFICIENT_FUNDS');
  });

  it('refuses an unknown account and a currency mismatch', async () => {
    const { purse, till } = await fundedPurse(db, 500);
    const euros = await openAccount(db, { kind: 'till_takings', currency: 'EUR' });
    expect(await codeOf(transfer(db, { ...spend(purse, till, 1), creditAccountId: '00000000-0000-4000-8000-000000000000' }))).to.equal('ERR_ACCOUNT_NOT_FOUND');
    expect(await codeOf(transfer(db, spend(purse, euros, 1)))).to.equal('ERR_CURRENCY_MISMATCH');
    expect(await codeOf(transfer(db, { ...spend(purse, till, 1), currency: 'EUR' }))).to.equal('ERR_CURRENCY_MISMATCH');
    expect(await balanceOf(db, purse.id)).to.equal(500);
  });

  it("joins the caller's transaction: a refusal leaves the caller's work intact, a rollback undoes the transfer", async () => {
    const { purse, till } = await fundedPurse(db, 300);
    await db.knex.transaction(async (trx) => {
      await transfer(trx, spend(purse, till, 200));
      expect(await codeOf(transfer(trx, spend(purse, till, 200)))).to.equal('ERR_INSUFFICIENT_FUNDS');
      await transfer(trx, spend(purse, till, 100));
    });
    expect(await balanceOf(db, purse.id)).to.equal(0);

    const { purse: second, till: secondTill } = await fundedPurse(db, 300);
    const rollback = new Error('the sale failed');
    const failed = db.knex.transaction(async (trx) => {
      await transfer(trx, spend(second, secondTill, 200));
      throw rollback;
    });
    expect(await failed.catch((e: unknown) => e)).to.equal(rollback);
    expect(await balanceOf(db, second.id)).to.equal(300);
    expect(await countRows(db, 'ledger_entries', [secondTill.id])).to.equal(0);
  });

  it('opens accounts with the default floor of their kind and refuses a positive floor', async () => {
    expect((await openAccount(db, { kind: 'purse' })).floor).to.equal(0);
    expect((await openAccount(db, { kind: 'budget' })).floor).to.equal(0);
    expect((await openAccount(db, { kind: 'suspense' })).floor).to.equal(null);
    expect((await openAccount(db, { kind: 'purse', floor: -500 })).floor).to.equal(-500);
    expect(await codeOf(openAccount(db, { kind: 'purse', floor: 5 }))).to.equal('ERR_ACCOUNT_INVALID');
    expect(await codeOf(openAccount(db, { kind: 'wallet' as never }))).to.equal('ERR_ACCOUNT_INVALID');
    expect(await codeOf(getAccount(db, '00000000-0000-4000-8000-000000000000'))).to.equal('ERR_ACCOUNT_NOT_FOUND');
  });

  it('lets an account with a negative floor go down to it', async () => {
    const { funding, till } = await fundedPurse(db, 0);
    const overdrawn = await openAccount(db, { kind: 'budget', floor: -200 });
    await transfer(db, { ...spend(overdrawn, till, 200) });
    expect(await codeOf(transfer(db, spend(overdrawn, till, 1)))).to.equal('ERR_INSUFFICIENT_FUNDS');
    expect((await accountStatement(db, overdrawn.id)).lines.map((l) => l.balanceAfter)).to.deep.equal([-200]);
    expect(funding.floor).to.equal(null);
  });
});
