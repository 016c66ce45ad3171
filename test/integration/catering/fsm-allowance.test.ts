import { expect } from 'chai';
import { balanceOf, verifyLedger } from '../../../shared/ledger/index.js';
import { cateringModule } from '../../../services/modules/catering/index.js';
import { settleAllFsm } from '../../../services/modules/catering/fsm-job.js';
import { refundSale } from '../../../services/modules/catering/refund.js';
import type { TestDatabase } from '../../support/test-database.js';
import { clockAt, moduleContext } from './support/module-harness.js';
import { basket, cateringDatabase, pupilAt, purchase, schoolWithTill } from './support/catering-fixture.js';

const TZ = 'Europe/London';

describe('catering: the free school meal allowance', function () {
  this.timeout(60_000);
  let db: TestDatabase;

  before(async () => {
    db = await cateringDatabase();
  });
  after(async () => {
    expect((await verifyLedger(db)).problems).to.deep.equal([]);
  });

  it('is credited once per school day, not at weekends or on INSET days, and never carried over (job run twice and late)', async () => {
    const { school, till } = await schoolWithTill(db.knex, { fsmAllowancePence: 250 });
    const pupil = await pupilAt(db.knex, school.id, { fsmEligible: true });
    const other = await pupilAt(db.knex, school.id, { fsmEligible: false });
    const fsm = () => balanceOf(db, pupil.fsmAccountId);

    // Monday just after midnight in London: run twice, credited once.
    await settleAllFsm(db.knex, new Date('2026-11-23T00:05:00Z'), TZ);
    await settleAllFsm(db.knex, new Date('2026-11-23T00:06:00Z'), TZ);
    expect(await fsm()).to.equal(250);
    expect(await balanceOf(db, other.fsmAccountId)).to.equal(0);

    // Spend 60p of it on Monday; the 190p left does not reach Tuesday.
    const ctx = moduleContext(cateringModule, db.knex, clockAt('2026-11-23T12:00:00Z'));
    expect(await cateringModule.decide(purchase(till.readerId, pupil.cardholderId, basket(['COOKIE', 1, 60]), new Date('2026-11-23T12:00:00Z')), ctx)).to.include({ decision: 'granted' });
    await settleAllFsm(db.knex, new Date('2026-11-24T07:00:00Z'), TZ);
    expect(await fsm()).to.equal(250);

    // The job does not run on Wednesday or Thursday; run late on Friday 27th (an INSET day): nothing is credited and Tuesday's allowance is gone.
    await settleAllFsm(db.knex, new Date('2026-11-27T09:00:00Z'), TZ);
    expect(await fsm()).to.equal(0);
    // Saturday and Sunday: none.
    await settleAllFsm(db.knex, new Date('2026-11-28T09:00:00Z'), TZ);
    expect(await fsm()).to.equal(0);

    const days = await db.knex.raw(`select school_day::text as day, credited_pence, expired_pence from catering_fsm_days where cardholder_id = ? order by school_day`, [pupil.cardholderId]);
    expect(days.rows.map((r: Record<string, unknown>) => [r.day, Number(r.credited_pence), Number(r.expired_pence)])).to.deep.equal([
      ['2026-11-23', 250, 190],
      ['2026-11-24', 250, 250],
    ]);
    // What went in equals what was spent plus what went back: the funding account is down by exactly the 60p eaten.
    expect(await balanceOf(db, school.fsmAccountId)).to.equal(-60);
  });

  it('is settled by the purchase itself when the job has not run, and a late refund of FSM money does not carry it over', async () => {
    const { school, till } = await schoolWithTill(db.knex, { fsmAllowancePence: 250 });
    const pupil = await pupilAt(db.knex, school.id, { fsmEligible: true }, 100);
    const monday = new Date('2026-11-23T12:00:00Z');
    const ctx = moduleContext(cateringModule, db.knex, clockAt('2026-11-23T12:00:00Z'));
    const tap = purchase(till.readerId, pupil.cardholderId, basket(['MEAL', 1, 250]), monday);
    expect(await cateringModule.decide(tap, ctx)).to.include({ decision: 'granted' });
    expect(await balanceOf(db, pupil.fsmAccountId)).to.equal(0);
    expect(await balanceOf(db, pupil.purseAccountId)).to.equal(100);

    // Refunded on Tuesday: Monday's allowance is closed, so the money goes back to FSM funding, not to the pupil.
    const sale = await db.knex('catering_sales').where({ tap_id: tap.id }).first('id');
    const { refund } = await refundSale(db.knex, { saleId: sale.id, reason: 'cold food', idempotencyKey: 'refund-fsm-1', staffId: 'manager-1' }, new Date('2026-11-24T10:00:00Z'), TZ);
    expect(refund).to.include({ amountPence: 250, fsmPence: 250, cashPence: 0 });
    // The purse holds Tuesday's own allowance only; funding is down by exactly that.
    expect(await balanceOf(db, pupil.fsmAccountId)).to.equal(250);
    expect(await balanceOf(db, school.fsmAccountId)).to.equal(-250);
    expect(await balanceOf(db, till.takingsAccountId)).to.equal(0);
  });
});
