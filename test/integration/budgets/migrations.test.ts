import { expect } from 'chai';
import { down, up } from '../../../services/modules/budgets/migrations/20261121090000_budgets.js';
import { createTestDatabase, type TestDatabase } from '../../support/test-database.js';
import { budgetsMigrations } from './support/budgets-fixture.js';

describe('budgets: migrations', function () {
  this.timeout(60_000);
  let db: TestDatabase;
  after(async () => db?.dispose());

  it('go down and up again', async () => {
    db = await createTestDatabase({ migrations: budgetsMigrations });
    expect(await db.knex.schema.hasTable('budget_spends')).to.equal(true);
    await down(db.knex);
    for (const table of ['budget_spends', 'budget_loads', 'budget_uploads', 'budgets', 'budget_providers', 'budget_settings']) expect(await db.knex.schema.hasTable(table)).to.equal(false);
    await up(db.knex);
    expect(await db.knex('budget_settings').count({ n: '*' })).to.have.length(1);
  });
});
