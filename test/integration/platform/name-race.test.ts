import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import { TesseraError } from '../../../shared/errors/index.js';
import { createProvider, updateProvider } from '../../../services/modules/budgets/providers.js';
import { createSchool, updateSchool } from '../../../services/modules/catering/setup.js';
import { budgetsDatabase } from '../budgets/support/budgets-fixture.js';
import { cateringDatabase } from '../catering/support/catering-fixture.js';
import type { TestDatabase } from '../../support/test-database.js';

/**
 * Schools and providers check "is this name taken?" before writing. On PostgreSQL concurrent
 * requests all pass that check before any commits, and the losers meet the unique index: each
 * must still get the 409 conflict (a TesseraError), never the database's error (a 500).
 */
describe('module set-up: creates and renames racing onto one name', function () {
  this.timeout(60_000);
  const RACERS = 8;
  let db: TestDatabase;

  before(async () => {
    db = await cateringDatabase();
    await budgetsDatabase();
  });

  /** Exactly one success; every other outcome is the given conflict code. */
  function expectOneWinner(outcomes: PromiseSettledResult<unknown>[], code: string): void {
    const failures = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected').map((o) => o.reason as Error);
    for (const failure of failures) {
      expect(failure, String(failure)).to.be.instanceOf(TesseraError);
      expect((failure as TesseraError).code).to.equal(code);
    }
    expect(outcomes.length - failures.length).to.equal(1);
  }

  it('catering schools: one create wins, the others are ERR_CATERING_CONFLICT', async () => {
    const name = `Race school ${randomUUID()}`;
    const outcomes = await Promise.allSettled(Array.from({ length: RACERS }, () => createSchool(db.knex, { name }, 'manager-1')));
    expectOneWinner(outcomes, 'ERR_CATERING_CONFLICT');
  });

  it('catering schools: renames racing onto one new name, one wins', async () => {
    const schools = await Promise.all(Array.from({ length: RACERS }, () => createSchool(db.knex, { name: `Rename from ${randomUUID()}` }, 'manager-1')));
    const name = `Rename to ${randomUUID()}`;
    const outcomes = await Promise.allSettled(schools.map((s) => updateSchool(db.knex, s.id, { name }, 'manager-1')));
    expectOneWinner(outcomes, 'ERR_CATERING_CONFLICT');
  });

  it('budget providers: one create wins, the others are ERR_BUDGET_CONFLICT', async () => {
    const name = `Race provider ${randomUUID()}`;
    const outcomes = await Promise.allSettled(Array.from({ length: RACERS }, () => createProvider(db.knex, { name, categories: ['transport'] }, 'finance-1')));
    expectOneWinner(outcomes, 'ERR_BUDGET_CONFLICT');
  });

  it('budget providers: renames racing onto one new name, one wins', async () => {
    const providers = await Promise.all(Array.from({ length: RACERS }, () => createProvider(db.knex, { name: `From ${randomUUID()}`, categories: ['transport'] }, 'finance-1')));
    const name = `To ${randomUUID()}`;
    const outcomes = await Promise.allSettled(providers.map((p) => updateProvider(db.knex, p.id, { name }, 'finance-1')));
    expectOneWinner(outcomes, 'ERR_BUDGET_CONFLICT');
  });
});
