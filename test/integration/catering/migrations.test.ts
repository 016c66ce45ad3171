import { expect } from 'chai';
import { down, up } from '../../../services/modules/catering/migrations/20261121080000_catering.js';
import * as alerts from '../../../services/modules/catering/migrations/20261122010000_catering_balance_alerts.js';
import * as mealTimes from '../../../services/modules/catering/migrations/20261122000000_catering_meal_times.js';
import { createTestDatabase, type TestDatabase } from '../../support/test-database.js';
import { cateringMigrations } from './support/catering-fixture.js';

describe('catering: migrations', function () {
  this.timeout(60_000);
  let db: TestDatabase;
  after(async () => db?.dispose());

  it('go down and up again', async () => {
    db = await createTestDatabase({ migrations: cateringMigrations });
    expect(await db.knex.schema.hasTable('catering_sales')).to.equal(true);
    // Newest first, as knex rolls back.
    await alerts.down(db.knex);
    expect(await db.knex.schema.hasTable('catering_balance_alerts')).to.equal(false);
    expect(await db.knex.schema.hasColumn('catering_pupils', 'low_balance_threshold_pence')).to.equal(false);
    await mealTimes.down(db.knex);
    expect(await db.knex.schema.hasTable('catering_meal_times')).to.equal(false);
    expect(await db.knex.schema.hasColumn('catering_sales', 'meal_time')).to.equal(false);
    await down(db.knex);
    for (const table of ['catering_sales', 'catering_pupils', 'catering_schools', 'catering_fsm_days']) expect(await db.knex.schema.hasTable(table)).to.equal(false);
    await up(db.knex);
    expect(await db.knex.schema.hasTable('catering_fsm_days')).to.equal(true);
    await mealTimes.up(db.knex);
    expect(await db.knex.schema.hasColumn('catering_sales', 'meal_time')).to.equal(true);
    await alerts.up(db.knex);
    expect(await db.knex.schema.hasTable('catering_balance_alerts')).to.equal(true);
  });
});
