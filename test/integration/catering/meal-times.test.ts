import { expect } from 'chai';
import { balanceOf, verifyLedger } from '../../../shared/ledger/index.js';
import { cateringModule } from '../../../services/modules/catering/index.js';
import { setMealTimes } from '../../../services/modules/catering/meal-times.js';
import { refundSale } from '../../../services/modules/catering/refund.js';
import type { TestDatabase } from '../../support/test-database.js';
import { clockAt, moduleContext } from './support/module-harness.js';
import { basket, cateringDatabase, pupilAt, purchase, schoolWithTill } from './support/catering-fixture.js';

const TZ = 'Europe/London';
// Monday 23 November 2026: London is on GMT, so local time = UTC.
const at = (hhmm: string) => new Date(`2026-11-23T${hhmm}:00Z`);

describe('catering: meal times (one test per rule)', function () {
  this.timeout(30_000);
  let db: TestDatabase;
  const clock = clockAt('2026-11-23T12:00:00Z');
  const decide = (tap: Parameters<typeof cateringModule.decide>[0]) => cateringModule.decide(tap, moduleContext(cateringModule, db.knex, clock, TZ));

  before(async () => {
    db = await cateringDatabase();
  });
  after(async () => {
    expect((await verifyLedger(db)).problems).to.deep.equal([]);
  });

  /** Breakfast 07:30-09:00 (no FSM, no limit), lunch 11:45-13:30 (FSM, £3 limit). */
  async function schoolWithMealTimes(fsmAllowancePence = 0) {
    const fixture = await schoolWithTill(db.knex, { fsmAllowancePence });
    await setMealTimes(
      db.knex,
      fixture.school.id,
      [
        { name: 'lunch', startsAt: '11:45', endsAt: '13:30', limitPence: 300, fsm: true },
        { name: 'breakfast', startsAt: '07:30', endsAt: '09:00' },
      ],
      'manager-1',
    );
    return fixture;
  }

  it('declines a purchase outside every meal time (outside_meal_time); the end of a meal time is exclusive', async () => {
    const { till } = await schoolWithMealTimes();
    const pupil = await pupilAt(db.knex, till.schoolId, {}, 1000);
    const buy = (when: Date) => decide(purchase(till.readerId, pupil.cardholderId, basket(['COOKIE', 1, 60]), when));
    expect(await buy(at('10:00'))).to.include({ decision: 'denied', reason: 'outside_meal_time' });
    expect(await buy(at('13:30'))).to.include({ decision: 'denied', reason: 'outside_meal_time' });
    expect(await buy(at('07:29'))).to.include({ decision: 'denied', reason: 'outside_meal_time' });
    expect(await balanceOf(db, pupil.purseAccountId)).to.equal(1000);
    expect(await buy(at('07:30'))).to.include({ decision: 'granted' });
    expect(await buy(at('13:29'))).to.include({ decision: 'granted' });
  });

  it('reads meal times in the organisation time zone (11:50 BST is lunch, though it is 10:50 UTC)', async () => {
    const { till } = await schoolWithMealTimes();
    const pupil = await pupilAt(db.knex, till.schoolId, {}, 1000);
    const october = new Date('2026-10-20T10:50:00Z');
    expect(await decide(purchase(till.readerId, pupil.cardholderId, basket(['COOKIE', 1, 60]), october))).to.include({ decision: 'granted' });
    const sale = await db.knex('catering_sales').where({ cardholder_id: pupil.cardholderId }).first('meal_time');
    expect(sale.meal_time).to.equal('lunch');
  });

  it('declines with meal_time_limit past the meal time’s limit, counts each meal time apart, and gives back what was refunded', async () => {
    const { till } = await schoolWithMealTimes();
    const pupil = await pupilAt(db.knex, till.schoolId, {}, 2000);
    const lunch = purchase(till.readerId, pupil.cardholderId, basket(['MEAL', 1, 250]), at('12:00'));
    expect(await decide(lunch)).to.include({ decision: 'granted' });
    const over = await decide(purchase(till.readerId, pupil.cardholderId, basket(['COOKIE', 1, 60]), at('12:10')));
    expect(over).to.include({ decision: 'denied', reason: 'meal_time_limit' });
    expect(over.display).to.include({ mealTime: 'lunch' });
    // Breakfast has no limit of its own and its spending does not count against lunch.
    expect(await decide(purchase(till.readerId, pupil.cardholderId, basket(['COOKIE', 3, 60]), at('08:00')))).to.include({ decision: 'granted' });
    // A refund of lunch money makes room at lunch again.
    const sale = await db.knex('catering_sales').where({ tap_id: lunch.id }).first('id');
    await refundSale(db.knex, { saleId: sale.id, amountPence: 100, reason: 'cold', idempotencyKey: `meal-refund-${sale.id}`, staffId: 'manager-1' }, at('12:15'), TZ);
    expect(await decide(purchase(till.readerId, pupil.cardholderId, basket(['COOKIE', 1, 60]), at('12:20')))).to.include({ decision: 'granted' });
    expect(await balanceOf(db, pupil.purseAccountId)).to.equal(2000 - 250 - 180 + 100 - 60);
  });

  it('spends free school meal money only in FSM meal times; at other meal times the parents’ purse pays alone', async () => {
    const { school, till } = await schoolWithMealTimes(250);
    const pupil = await pupilAt(db.knex, till.schoolId, { fsmEligible: true }, 1000);
    const breakfast = purchase(till.readerId, pupil.cardholderId, basket(['COOKIE', 1, 60]), at('08:00'));
    expect(await decide(breakfast)).to.include({ decision: 'granted' });
    // The allowance was credited (the purchase settled the day) but not touched at breakfast.
    expect(await balanceOf(db, pupil.fsmAccountId)).to.equal(250);
    expect(await balanceOf(db, pupil.purseAccountId)).to.equal(940);
    const lunch = purchase(till.readerId, pupil.cardholderId, basket(['MEAL', 1, 250]), at('12:00'));
    expect(await decide(lunch)).to.include({ decision: 'granted' });
    expect(await balanceOf(db, pupil.fsmAccountId)).to.equal(0);
    expect(await balanceOf(db, pupil.purseAccountId)).to.equal(940);
    const split = (await db.knex('catering_sales').where({ cardholder_id: pupil.cardholderId }).orderBy('created_at').select('meal_time', 'fsm_pence', 'cash_pence')).map(
      (r: Record<string, unknown>) => [r.meal_time, Number(r.fsm_pence), Number(r.cash_pence)],
    );
    expect(split).to.deep.equal([
      ['breakfast', 0, 60],
      ['lunch', 250, 0],
    ]);
    expect(await balanceOf(db, school.fsmAccountId)).to.equal(-250);
  });

  it('keeps the simple rules for a school without meal times (any time, FSM money first), also once they are removed', async () => {
    const { school, till } = await schoolWithMealTimes(250);
    await setMealTimes(db.knex, school.id, [], 'manager-1');
    const pupil = await pupilAt(db.knex, till.schoolId, { fsmEligible: true }, 1000);
    expect(await decide(purchase(till.readerId, pupil.cardholderId, basket(['COOKIE', 1, 60]), at('10:00')))).to.include({ decision: 'granted' });
    expect(await balanceOf(db, pupil.fsmAccountId)).to.equal(190);
    expect(await balanceOf(db, pupil.purseAccountId)).to.equal(1000);
    const sale = await db.knex('catering_sales').where({ cardholder_id: pupil.cardholderId }).first('meal_time');
    expect(sale.meal_time).to.equal(null);
  });

  it('refuses overlapping meal times, duplicate names and a meal time that ends before it starts, naming the problem', async () => {
    const { school } = await schoolWithTill(db.knex);
    const attempt = async (mealTimes: Parameters<typeof setMealTimes>[2]) => {
      try {
        await setMealTimes(db.knex, school.id, mealTimes, 'manager-1');
        return undefined;
      } catch (error) {
        return error as { code: string; message: string };
      }
    };
    expect(await attempt([{ name: 'lunch', startsAt: '11:45', endsAt: '13:30' }, { name: 'late-lunch', startsAt: '13:00', endsAt: '14:00' }])).to.include({
      code: 'ERR_CATERING_MEAL_TIMES_INVALID',
      message: 'lunch and late-lunch overlap',
    });
    expect((await attempt([{ name: 'lunch', startsAt: '11:45', endsAt: '12:00' }, { name: 'lunch', startsAt: '12:30', endsAt: '13:00' }]))?.code).to.equal('ERR_CATERING_MEAL_TIMES_INVALID');
    expect((await attempt([{ name: 'tea', startsAt: '16:00', endsAt: '15:00' }]))?.message).to.equal('tea ends (15:00) before it starts (16:00)');
    // Back to back is fine: one ends when the next starts.
    expect(await attempt([{ name: 'lunch', startsAt: '11:45', endsAt: '13:00' }, { name: 'late-lunch', startsAt: '13:00', endsAt: '14:00' }])).to.equal(undefined);
  });
});
