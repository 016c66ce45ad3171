import { expect } from 'chai';
import { balanceOf, verifyLedger } from '../../../shared/ledger/index.js';
import { budgetsModule } from '../../../services/modules/budgets/index.js';
import { budgetsOf } from '../../../services/modules/budgets/budget-store.js';
import { cateringModule } from '../../../services/modules/catering/index.js';
import { getPupil } from '../../../services/modules/catering/catering-store.js';
import { createTestDatabase, type TestDatabase } from '../../support/test-database.js';
import { addCardholder, clockAt, moduleContext } from './support/module-harness.js';

describe('catering and budgets: demo data', function () {
  this.timeout(60_000);
  let db: TestDatabase;
  after(async () => db?.dispose());

  it('registers the demo pupils and care recipients once, however often it runs', async () => {
    db = await createTestDatabase({ migrations: { extraDirectories: [cateringModule.migrationsDirectory!, budgetsModule.migrationsDirectory!] } });
    const first = await addCardholder(db.knex, 'pupil');
    const second = await addCardholder(db.knex, 'pupil');
    const recipient = await addCardholder(db.knex, 'care_recipient');
    const clock = clockAt('2026-11-25T10:00:00Z');
    for (let run = 0; run < 2; run++) {
      await cateringModule.demoSeed!(moduleContext(cateringModule, db.knex, clock));
      await budgetsModule.demoSeed!(moduleContext(budgetsModule, db.knex, clock));
    }
    const pupils = [await getPupil(db.knex, first.id), await getPupil(db.knex, second.id)];
    expect(pupils.map((p) => p.fsmEligible).filter(Boolean)).to.have.length(1);
    for (const pupil of pupils) expect(await balanceOf(db, pupil.purseAccountId)).to.equal(1000);
    const budgets = await budgetsOf(db.knex, recipient.id);
    expect(budgets).to.have.length(1);
    expect(budgets[0]).to.include({ periodStart: '2026-11-25', periodEnd: '2026-12-22' });
    expect(await balanceOf(db, budgets[0]!.accountId)).to.equal(40_000);
    const [audit] = await db.knex('audit_events').where({ action: 'budget.create' }).select('actor_kind', 'actor_id');
    expect(audit).to.deep.equal({ actor_kind: 'system', actor_id: 'budgets-demo' });
    expect((await verifyLedger(db)).problems).to.deep.equal([]);
  });
});
