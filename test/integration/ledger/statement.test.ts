import { expect } from 'chai';
import { sharedTestDatabase, type TestDatabase } from '../../support/test-database.js';
import { accountStatement, transfer } from '../../../shared/ledger/index.js';
import { codeOf, fundedPurse, spend } from './support/ledger-fixtures.js';

describe('ledger: statements', () => {
  let db: TestDatabase;
  before(async () => {
    db = await sharedTestDatabase();
  });

  it('lists entries in the order the balance moved, with the running balance, a page at a time', async () => {
    const { funding, purse, till } = await fundedPurse(db, 1000);
    for (const amount of [100, 250, 50, 75]) await transfer(db, spend(purse, till, amount));
    const seen: [number, number, string][] = [];
    let after: string | undefined;
    let pages = 0;
    do {
      const page = await accountStatement(db, purse.id, { limit: 2, ...(after ? { after } : {}) });
      seen.push(...page.lines.map((l): [number, number, string] => [l.amount, l.balanceAfter, l.counterpartyAccountId]));
      after = page.nextCursor ?? undefined;
      pages += 1;
    } while (after);
    expect(pages).to.equal(3);
    expect(seen).to.deep.equal([
      [1000, 1000, funding.id],
      [-100, 900, till.id],
      [-250, 650, till.id],
      [-50, 600, till.id],
      [-75, 525, till.id],
    ]);
  });

  it('refuses a bad cursor or limit and an unknown account', async () => {
    const { purse } = await fundedPurse(db, 0);
    expect(await codeOf(accountStatement(db, purse.id, { after: 'abc' }))).to.equal('ERR_VALIDATION');
    expect(await codeOf(accountStatement(db, purse.id, { limit: 0 }))).to.equal('ERR_VALIDATION');
    expect(await codeOf(accountStatement(db, '00000000-0000-4000-8000-000000000000'))).to.equal('ERR_ACCOUNT_NOT_FOUND');
    expect((await accountStatement(db, purse.id)).lines).to.deep.equal([]);
  });
});
