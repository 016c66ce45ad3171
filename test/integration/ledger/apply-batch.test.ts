import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import { sharedTestDatabase, type TestDatabase } from '../../support/test-database.js';
import { accountStatement, openAccount, transfer, type TransferInput } from '../../../shared/ledger/index.js';
import { applyTransfers } from '../../../shared/ledger/apply-transfers.js';
import type { ApplyOutcome } from '../../../shared/ledger/outcomes.js';
import { prepareTransfer } from '../../../shared/ledger/prepare-transfer.js';
import { fundedPurse, newKey, spend } from './support/ledger-fixtures.js';

const kinds = (outcomes: ApplyOutcome[]) => outcomes.map((o) => (o.kind === 'refused' ? o.error.code : o.kind));

/** ledger_apply_transfers decides a batch in arrival order, as if its requests ran one after another. */
describe('ledger: applying a batch in one statement', () => {
  let db: TestDatabase;
  before(async () => {
    db = await sharedTestDatabase();
  });
  const apply = (inputs: TransferInput[]) => applyTransfers(db.knex, inputs.map((input) => prepareTransfer(input, new Date())));

  it('refuses the debit that would cross the floor alone; later ones that fit still apply, with running balances in order', async () => {
    const { purse, till } = await fundedPurse(db, 500);
    const outcomes = await apply([spend(purse, till, 300), spend(purse, till, 300), spend(purse, till, 200)]);
    expect(kinds(outcomes)).to.deep.equal(['applied', 'ERR_INSUFFICIENT_FUNDS', 'applied']);
    const refusal = outcomes[1] as { error: { message: string; extensions: Record<string, unknown> } };
    expect(refusal.error.extensions).to.deep.equal({ accountId: purse.id, balance: 200, floor: 0, amount: 300 });
    expect(refusal.error.message).to.equal(`Account ${purse.id} holds 200; 300 would take it below its floor of 0`);
    expect((await accountStatement(db, purse.id)).lines.map((l) => [l.amount, l.balanceAfter])).to.deep.equal([[500, 500], [-300, 200], [-200, 0]]);
    expect((await accountStatement(db, till.id)).lines.map((l) => l.balanceAfter)).to.deep.equal([300, 500]);
  });

  it('answers a key repeated in the batch with the first result, and a changed body with a mismatch', async () => {
    const { purse, till } = await fundedPurse(db, 500);
    const first = spend(purse, till, 100);
    const outcomes = await apply([first, first, { ...first, amount: 101 }]);
    expect(kinds(outcomes)).to.deep.equal(['applied', 'replayed', 'ERR_IDEMPOTENCY_MISMATCH']);
    expect((outcomes[1] as { result: unknown }).result).to.deep.equal((outcomes[0] as { result: unknown }).result);
  });

  it('replays a key stored by an earlier transaction without moving money, even when the funds have gone since', async () => {
    const { purse, till } = await fundedPurse(db, 500);
    const everything = spend(purse, till, 500);
    const first = await transfer(db, everything);
    const outcomes = await apply([everything]);
    expect(outcomes).to.deep.equal([{ kind: 'replayed', result: first.result }]);
  });

  it('refuses unknown accounts and currency mismatches on either side', async () => {
    const { purse, till } = await fundedPurse(db, 500);
    const euros = await openAccount(db, { kind: 'till_takings', currency: 'EUR' });
    const outcomes = await apply([
      { ...spend(purse, till, 1), creditAccountId: randomUUID() },
      { ...spend(purse, till, 1), debitAccountId: randomUUID() },
      spend(purse, euros, 1),
      { ...spend(euros, till, 1), currency: 'EUR' },
    ]);
    expect(kinds(outcomes)).to.deep.equal(['ERR_ACCOUNT_NOT_FOUND', 'ERR_ACCOUNT_NOT_FOUND', 'ERR_CURRENCY_MISMATCH', 'ERR_CURRENCY_MISMATCH']);
    expect((outcomes[2] as { error: { extensions: unknown } }).error.extensions).to.deep.equal({ accountId: euros.id, accountCurrency: 'EUR', transferCurrency: 'GBP' });
  });

  it('lets an unbounded account go negative', async () => {
    const { funding, purse } = await fundedPurse(db, 0);
    const outcomes = await apply([{ ...spend(funding, purse, 10_000) }]);
    expect(kinds(outcomes)).to.deep.equal(['applied']);
    expect((outcomes[0] as { result: { debitBalanceAfter: number } }).result.debitBalanceAfter).to.equal(-10_000);
  });

  it('caps all reversals of a transfer at its amount, across the batch and earlier transactions', async () => {
    const { purse, till } = await fundedPurse(db, 1000);
    const sale = (await transfer(db, spend(purse, till, 300))).result.transfer.id;
    await transfer(db, { ...spend(till, purse, 100), reversesTransferId: sale });
    const reversal = (amount: number) => ({ ...spend(till, purse, amount), reversesTransferId: sale });
    const outcomes = await apply([reversal(150), reversal(100), reversal(50)]);
    expect(kinds(outcomes)).to.deep.equal(['applied', 'ERR_REVERSAL_EXCEEDS_ORIGINAL', 'applied']);
    expect((outcomes[1] as { error: { extensions: unknown } }).error.extensions).to.deep.equal({ transferId: sale, originalAmount: 300, alreadyReversed: 250, amount: 100 });
  });

  it('refuses a reversal in the wrong direction, of a reversal, or of an unknown transfer', async () => {
    const { purse, till } = await fundedPurse(db, 1000);
    const sale = (await transfer(db, spend(purse, till, 300))).result.transfer.id;
    const refund = (await transfer(db, { ...spend(till, purse, 10), reversesTransferId: sale })).result.transfer.id;
    const outcomes = await apply([
      { ...spend(purse, till, 10), reversesTransferId: sale },
      { ...spend(purse, till, 10), reversesTransferId: refund },
      { ...spend(till, purse, 10), reversesTransferId: randomUUID() },
    ]);
    expect(kinds(outcomes)).to.deep.equal(['ERR_REVERSAL_INVALID', 'ERR_REVERSAL_INVALID', 'ERR_TRANSFER_NOT_FOUND']);
  });

  it('refuses a transfer that would take a balance beyond the safe integer range', async () => {
    const { funding, purse } = await fundedPurse(db, 0);
    const sink = await openAccount(db, { kind: 'suspense' });
    await transfer(db, spend(funding, sink, Number.MAX_SAFE_INTEGER - 1));
    const outcomes = await apply([spend(purse, sink, 0 + 1), { ...spend(funding, sink, 10), idempotencyKey: newKey() }]);
    expect(kinds(outcomes)).to.deep.equal(['ERR_INSUFFICIENT_FUNDS', 'ERR_BALANCE_OUT_OF_RANGE']);
  });
});
