import { expect } from 'chai';
import { verifyLedger } from '../../../shared/ledger/index.js';
import { cateringModule } from '../../../services/modules/catering/index.js';
import { listAlerts } from '../../../services/modules/catering/low-balance.js';
import { refundSale } from '../../../services/modules/catering/refund.js';
import { updateSchool } from '../../../services/modules/catering/setup.js';
import { topUp } from '../../../services/modules/catering/top-up.js';
import type { TestDatabase } from '../../support/test-database.js';
import { clockAt, moduleContext } from './support/module-harness.js';
import { basket, cateringDatabase, pupilAt, purchase, schoolWithTill } from './support/catering-fixture.js';

const TZ = 'Europe/London';

describe('catering: low-balance alerts for parents (one test per rule)', function () {
  this.timeout(30_000);
  let db: TestDatabase;
  const clock = clockAt('2026-11-23T12:00:00Z');
  const decide = (tap: Parameters<typeof cateringModule.decide>[0]) => cateringModule.decide(tap, moduleContext(cateringModule, db.knex, clock, TZ));
  const alertsOf = async (cardholderId: string) => (await listAlerts(db.knex, { cardholderId, limit: 100 })).alerts;

  before(async () => {
    db = await cateringDatabase();
  });
  after(async () => {
    expect((await verifyLedger(db)).problems).to.deep.equal([]);
  });

  async function schoolWithThreshold(thresholdPence: number | null, fsmAllowancePence = 0) {
    const fixture = await schoolWithTill(db.knex, { fsmAllowancePence });
    await updateSchool(db.knex, fixture.school.id, { lowBalanceThresholdPence: thresholdPence }, 'manager-1');
    return fixture;
  }

  it('records one alert when a purchase takes the purse below the threshold, not one per purchase below it', async () => {
    const { school, till } = await schoolWithThreshold(500);
    const pupil = await pupilAt(db.knex, school.id, {}, 1000);
    const buy = (...lines: Parameters<typeof basket>) => decide(purchase(till.readerId, pupil.cardholderId, basket(...lines), clock.now()));
    expect(await buy(['MEAL', 2, 250])).to.include({ decision: 'granted' });
    // Exactly at the threshold is not below it.
    expect(await alertsOf(pupil.cardholderId)).to.deep.equal([]);
    const crossing = purchase(till.readerId, pupil.cardholderId, basket(['COOKIE', 1, 60]), clock.now());
    expect(await decide(crossing)).to.include({ decision: 'granted' });
    expect(await buy(['COOKIE', 1, 60])).to.include({ decision: 'granted' });
    expect(await buy(['COOKIE', 1, 60])).to.include({ decision: 'granted' });
    const alerts = await alertsOf(pupil.cardholderId);
    const sale = await db.knex('catering_sales').where({ tap_id: crossing.id }).first('id');
    expect(alerts).to.have.length(1);
    expect(alerts[0]).to.include({ cardholderId: pupil.cardholderId, schoolId: school.id, saleId: sale.id, thresholdPence: 500, balancePence: 440, resolvedAt: null });
  });

  it('closes the alert when a top-up brings the purse back to the threshold, and alerts again on the next crossing', async () => {
    const { school, till } = await schoolWithThreshold(500);
    const pupil = await pupilAt(db.knex, school.id, {}, 600);
    const buy = () => decide(purchase(till.readerId, pupil.cardholderId, basket(['MEAL', 1, 250]), clock.now()));
    expect(await buy()).to.include({ decision: 'granted' });
    const later = () => new Date('2026-11-23T18:00:00Z');
    // A top-up that leaves the purse still below the line keeps the alert open.
    await topUp(db.knex, { cardholderId: pupil.cardholderId, amountPence: 100, idempotencyKey: `small-${pupil.cardholderId}`, staffId: null }, later);
    expect((await alertsOf(pupil.cardholderId)).map((a) => a.resolvedAt)).to.deep.equal([null]);
    await topUp(db.knex, { cardholderId: pupil.cardholderId, amountPence: 300, idempotencyKey: `enough-${pupil.cardholderId}`, staffId: null }, later);
    expect((await alertsOf(pupil.cardholderId)).map((a) => a.resolvedAt)).to.deep.equal([later().toISOString()]);
    // 750 -> 500 (not below), then 500 -> 250: the second crossing.
    expect(await buy()).to.include({ decision: 'granted' });
    expect(await buy()).to.include({ decision: 'granted' });
    const alerts = await alertsOf(pupil.cardholderId);
    expect(alerts.map((a) => [a.balancePence, a.resolvedAt === null])).to.deep.equal([
      [350, false],
      [250, true],
    ]);
  });

  it('closes the alert when a refund brings the purse back to the threshold', async () => {
    const { school, till } = await schoolWithThreshold(300);
    const pupil = await pupilAt(db.knex, school.id, {}, 500);
    const tap = purchase(till.readerId, pupil.cardholderId, basket(['MEAL', 1, 250]), clock.now());
    expect(await decide(tap)).to.include({ decision: 'granted' });
    const sale = await db.knex('catering_sales').where({ tap_id: tap.id }).first('id');
    await refundSale(db.knex, { saleId: sale.id, reason: 'cold', idempotencyKey: `alert-refund-${sale.id}`, staffId: 'manager-1' }, new Date('2026-11-23T12:30:00Z'), TZ);
    expect((await alertsOf(pupil.cardholderId)).map((a) => a.resolvedAt)).to.deep.equal(['2026-11-23T12:30:00.000Z']);
  });

  it('uses the pupil’s own threshold over the school’s; no threshold, no alerts', async () => {
    const { school, till } = await schoolWithThreshold(100);
    const own = await pupilAt(db.knex, school.id, { lowBalanceThresholdPence: 900 }, 1000);
    const byDefault = await pupilAt(db.knex, school.id, {}, 1000);
    for (const pupil of [own, byDefault]) expect(await decide(purchase(till.readerId, pupil.cardholderId, basket(['MEAL', 1, 250]), clock.now()))).to.include({ decision: 'granted' });
    expect((await alertsOf(own.cardholderId)).map((a) => a.thresholdPence)).to.deep.equal([900]);
    expect(await alertsOf(byDefault.cardholderId)).to.deep.equal([]);

    const none = await schoolWithThreshold(null);
    const pupil = await pupilAt(db.knex, none.school.id, {}, 300);
    expect(await decide(purchase(none.till.readerId, pupil.cardholderId, basket(['MEAL', 1, 250]), clock.now()))).to.include({ decision: 'granted' });
    expect(await alertsOf(pupil.cardholderId)).to.deep.equal([]);
  });

  it('does not alert on a purchase paid wholly by free school meal money (the purse did not move)', async () => {
    const { school, till } = await schoolWithThreshold(500, 250);
    const pupil = await pupilAt(db.knex, school.id, { fsmEligible: true }, 200);
    expect(await decide(purchase(till.readerId, pupil.cardholderId, basket(['MEAL', 1, 250]), clock.now()))).to.include({ decision: 'granted' });
    expect(await alertsOf(pupil.cardholderId)).to.deep.equal([]);
  });

  it('lists alerts across a school for polling: after the last id seen, open only', async () => {
    const { school, till } = await schoolWithThreshold(500);
    const pupils = [await pupilAt(db.knex, school.id, {}, 600), await pupilAt(db.knex, school.id, {}, 600)];
    for (const pupil of pupils) await decide(purchase(till.readerId, pupil.cardholderId, basket(['MEAL', 1, 250]), clock.now()));
    const first = await listAlerts(db.knex, { schoolId: school.id, limit: 1 });
    expect(first.alerts.map((a) => a.cardholderId)).to.deep.equal([pupils[0]!.cardholderId]);
    const second = await listAlerts(db.knex, { schoolId: school.id, after: first.next!, limit: 10 });
    expect(second.alerts.map((a) => a.cardholderId)).to.deep.equal([pupils[1]!.cardholderId]);
    expect(await listAlerts(db.knex, { schoolId: school.id, after: second.next!, limit: 10 })).to.deep.equal({ alerts: [], next: second.next });
    await topUp(db.knex, { cardholderId: pupils[0]!.cardholderId, amountPence: 500, idempotencyKey: `poll-${pupils[0]!.cardholderId}`, staffId: null }, clock.now);
    expect((await listAlerts(db.knex, { schoolId: school.id, open: true, limit: 10 })).alerts.map((a) => a.cardholderId)).to.deep.equal([pupils[1]!.cardholderId]);
  });
});
