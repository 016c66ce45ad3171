import { expect } from 'chai';
import { balanceOf, verifyLedger } from '../../../shared/ledger/index.js';
import { cateringModule } from '../../../services/modules/catering/index.js';
import { listAlerts } from '../../../services/modules/catering/low-balance.js';
import { updateSchool } from '../../../services/modules/catering/setup.js';
import type { TestDatabase } from '../../support/test-database.js';
import { clockAt, moduleContext } from './support/module-harness.js';
import { basket, cateringDatabase, pupilAt, purchase, schoolWithTill } from './support/catering-fixture.js';

describe('catering: purchases at the same moment', function () {
  this.timeout(60_000);
  let db: TestDatabase;
  before(async () => {
    db = await cateringDatabase();
  });

  it('never overdraw a purse or pass the daily limit, however many tills charge the pupil at once', async () => {
    const clock = clockAt('2026-11-23T12:00:00Z');
    const { till } = await schoolWithTill(db.knex, { fsmAllowancePence: 250 });
    // £20 in the purse, £2.50 FSM today, a £15 daily limit: at most six meals (£15), FSM first.
    const pupil = await pupilAt(db.knex, till.schoolId, { fsmEligible: true, dailyLimitPence: 1500 }, 2000);
    const ctx = moduleContext(cateringModule, db.knex, clock);
    const decisions = await Promise.all(
      Array.from({ length: 12 }, () => cateringModule.decide(purchase(till.readerId, pupil.cardholderId, basket(['MEAL', 1, 250]), clock.now()), ctx)),
    );
    const granted = decisions.filter((d) => d.decision === 'granted').length;
    expect(granted).to.equal(6);
    expect(decisions.filter((d) => d.decision === 'denied').every((d) => d.reason === 'daily_limit')).to.equal(true);
    expect(await balanceOf(db, pupil.fsmAccountId)).to.equal(0);
    expect(await balanceOf(db, pupil.purseAccountId)).to.equal(2000 - 5 * 250);
    expect(await balanceOf(db, till.takingsAccountId)).to.equal(6 * 250);
    expect((await verifyLedger(db)).problems).to.deep.equal([]);
  });

  it('raise one low-balance alert, at the sale that crossed the threshold, however many tills charge the pupil at once', async () => {
    const clock = clockAt('2026-11-23T12:00:00Z');
    const { school, till } = await schoolWithTill(db.knex, { fsmAllowancePence: 0 });
    await updateSchool(db.knex, school.id, { lowBalanceThresholdPence: 1000 }, 'manager-1');
    const pupil = await pupilAt(db.knex, school.id, {}, 2000);
    const ctx = moduleContext(cateringModule, db.knex, clock);
    const decisions = await Promise.all(
      Array.from({ length: 8 }, () => cateringModule.decide(purchase(till.readerId, pupil.cardholderId, basket(['MEAL', 1, 250]), clock.now()), ctx)),
    );
    expect(decisions.every((d) => d.decision === 'granted')).to.equal(true);
    const { alerts } = await listAlerts(db.knex, { cardholderId: pupil.cardholderId, limit: 10 });
    // 2000 -> 1750 -> 1500 -> 1250 -> 1000 (not below) -> 750: that sale crossed.
    expect(alerts.map((a) => [a.balancePence, a.resolvedAt])).to.deep.equal([[750, null]]);
    expect((await verifyLedger(db)).problems).to.deep.equal([]);
  });
});
