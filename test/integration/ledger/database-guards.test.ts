import { expect } from 'chai';
import { sharedTestDatabase, type TestDatabase } from '../../support/test-database.js';
import { transfer } from '../../../shared/ledger/index.js';
import { fundedPurse, spend } from './support/ledger-fixtures.js';

async function refusal(work: Promise<unknown>): Promise<string> {
  try {
    await work;
  } catch (error) {
    return (error as Error).message;
  }
  return 'accepted';
}

/** The guarantees that hold for every client of the database, not only for Tessera's code. */
describe('ledger: guards in the database itself', () => {
  let db: TestDatabase;
  let transferId: string;
  let purseId: string;
  before(async () => {
    db = await sharedTestDatabase();
    const { purse, till } = await fundedPurse(db, 500);
    purseId = purse.id;
    transferId = (await transfer(db, spend(purse, till, 100))).result.transfer.id;
  });

  for (const table of ['ledger_transfers', 'ledger_entries'] as const) {
    const column = table === 'ledger_transfers' ? 'id' : 'transfer_id';
    it(`refuses UPDATE and DELETE on ${table} (append-only)`, async () => {
      expect(await refusal(db.knex(table).where(column, transferId).update({ amount: 1 }))).to.match(/append-only: UPDATE refused/);
      expect(await refusal(db.knex(table).where(column, transferId).delete())).to.match(/append-only: DELETE refused/);
    });
  }

  it('refuses UPDATE and DELETE of idempotency records, and TRUNCATE of every ledger table', async () => {
    expect(await refusal(db.knex('ledger_idempotency').where({ transfer_id: transferId }).update({ request_hash: 'x' }))).to.match(/append-only/);
    expect(await refusal(db.knex('ledger_idempotency').where({ transfer_id: transferId }).delete())).to.match(/append-only/);
    for (const table of ['ledger_transfers', 'ledger_entries', 'ledger_idempotency']) {
      expect(await refusal(db.knex.raw(`truncate ${table} cascade`))).to.match(/append-only: TRUNCATE refused/);
    }
  });

  it('refuses any write that takes a balance below its floor (CHECK), whoever writes it', async () => {
    expect(await refusal(db.knex('ledger_accounts').where({ id: purseId }).update({ balance: -1 }))).to.match(/ledger_accounts_balance_above_floor/);
  });

  it('refuses zero or negative amounts and a transfer from an account to itself', async () => {
    const row = (await db.knex('ledger_transfers').where({ id: transferId }).first()) as Record<string, unknown>;
    const copy = { ...row, id: '00000000-0000-4000-8000-00000000000a' };
    expect(await refusal(db.knex('ledger_transfers').insert({ ...copy, amount: 0 }))).to.match(/ledger_transfers_amount_positive/);
    expect(await refusal(db.knex('ledger_transfers').insert({ ...copy, credit_account_id: row.debit_account_id }))).to.match(/ledger_transfers_two_accounts/);
  });
});
