import { expect } from 'chai';
import { down, up } from '../../../services/modules/budgets/migrations/20261121090000_budgets.js';
import * as contributions from '../../../services/modules/budgets/migrations/20261122020000_budget_contributions.js';
import { createTestDatabase, type TestDatabase } from '../../support/test-database.js';
import { budgetsMigrations } from './support/budgets-fixture.js';

describe('budgets: migrations', function () {
  this.timeout(60_000);
  let db: TestDatabase;
  after(async () => db?.dispose());

  it('go down and up again', async () => {
    db = await createTestDatabase({ migrations: budgetsMigrations });
    expect(await db.knex.schema.hasTable('budget_spends')).to.equal(true);
    // Newest first, as knex rolls back.
    await contributions.down(db.knex);
    expect(await db.knex.schema.hasTable('budget_contributions')).to.equal(false);
    expect(await db.knex.schema.hasColumn('budget_loads', 'contribution_pence')).to.equal(false);
    await down(db.knex);
    for (const table of ['budget_spends', 'budget_loads', 'budget_uploads', 'budgets', 'budget_providers', 'budget_settings']) expect(await db.knex.schema.hasTable(table)).to.equal(false);
    await up(db.knex);
    expect(await db.knex('budget_settings').count({ n: '*' })).to.have.length(1);
    await contributions.up(db.knex);
    const [row] = await db.knex('budget_settings').whereNotNull('contributions_account_id').count({ n: '*' });
    expect(Number(row!.n)).to.equal(1);
  });
});
