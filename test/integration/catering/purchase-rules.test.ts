import { expect } from 'chai';
import { balanceOf, verifyLedger } from '../../../shared/ledger/index.js';
import { cateringModule } from '../../../services/modules/catering/index.js';
import type { TestDatabase } from '../../support/test-database.js';
import { clockAt, moduleContext } from './support/module-harness.js';
import { basket, cateringDatabase, pupilAt, purchase, schoolWithTill } from './support/catering-fixture.js';

// Monday 23 November 2026, lunchtime (Europe/London is on GMT in November).
const MONDAY = '2026-11-23T12:00:00Z';

describe('catering: till.purchase rules (one test each)', function () {
  this.timeout(30_000);
  let db: TestDatabase;
  const clock = clockAt(MONDAY);
  const decide = (tap: Parameters<typeof cateringModule.decide>[0]) => cateringModule.decide(tap, moduleContext(cateringModule, db.knex, clock));

  before(async () => {
    db = await cateringDatabase();
  });
  after(async () => {
    const verification = await verifyLedger(db);
    expect(verification.problems).to.deep.equal([]);
  });

  it('grants a purchase within funds and charges the purse exactly the basket', async () => {
    const { till } = await schoolWithTill(db.knex, { fsmAllowancePence: 0 });
    const pupil = await pupilAt(db.knex, till.schoolId, {}, 1000);
    const decision = await decide(purchase(till.readerId, pupil.cardholderId, basket(['MEAL', 1, 250], ['COOKIE', 2, 60]), clock.now()));
    expect(decision).to.include({ decision: 'granted', reason: 'ok' });
    expect(decision.display).to.include({ chargedPence: 370, balancePence: 630 });
    expect(await balanceOf(db, till.takingsAccountId)).to.equal(370);
  });

  it('declines with insufficient_funds when the purse cannot pay, and moves nothing', async () => {
    const { till } = await schoolWithTill(db.knex, { fsmAllowancePence: 0 });
    const pupil = await pupilAt(db.knex, till.schoolId, {}, 200);
    const decision = await decide(purchase(till.readerId, pupil.cardholderId, basket(['MEAL', 1, 250]), clock.now()));
    expect(decision).to.include({ decision: 'denied', reason: 'insufficient_funds' });
    expect(await balanceOf(db, pupil.purseAccountId)).to.equal(200);
  });

  it('declines with daily_limit once the day’s spending would pass the pupil’s limit', async () => {
    const { till } = await schoolWithTill(db.knex, { fsmAllowancePence: 0 });
    const pupil = await pupilAt(db.knex, till.schoolId, { dailyLimitPence: 300 }, 2000);
    expect(await decide(purchase(till.readerId, pupil.cardholderId, basket(['MEAL', 1, 250]), clock.now()))).to.include({ decision: 'granted' });
    expect(await decide(purchase(till.readerId, pupil.cardholderId, basket(['COOKIE', 1, 60]), clock.now()))).to.include({ decision: 'denied', reason: 'daily_limit' });
    // The next day the limit starts again.
    const tuesday = new Date('2026-11-24T12:00:00Z');
    expect(await decide(purchase(till.readerId, pupil.cardholderId, basket(['COOKIE', 1, 60]), tuesday))).to.include({ decision: 'granted' });
  });

  it('declines an item not on the price list (unknown_item) and a price other than the list’s (price_mismatch)', async () => {
    const { till } = await schoolWithTill(db.knex, { fsmAllowancePence: 0 });
    const pupil = await pupilAt(db.knex, till.schoolId, {}, 1000);
    expect(await decide(purchase(till.readerId, pupil.cardholderId, basket(['CAVIAR', 1, 100]), clock.now()))).to.include({ reason: 'unknown_item' });
    expect(await decide(purchase(till.readerId, pupil.cardholderId, basket(['MEAL', 1, 1]), clock.now()))).to.include({ reason: 'price_mismatch' });
    const wrongTotal = { ...basket(['MEAL', 1, 250]), totalPence: 10 };
    expect(await decide(purchase(till.readerId, pupil.cardholderId, wrongTotal, clock.now()))).to.include({ reason: 'price_mismatch' });
    expect(await decide(purchase(till.readerId, pupil.cardholderId, 'not a basket', clock.now()))).to.include({ reason: 'basket_invalid' });
    expect(await balanceOf(db, pupil.purseAccountId)).to.equal(1000);
  });

  it('returns the allergen and dietary flags to the till, and blocks an item with the pupil’s allergen', async () => {
    const { till } = await schoolWithTill(db.knex, { fsmAllowancePence: 0 });
    const pupil = await pupilAt(db.knex, till.schoolId, { allergens: ['gluten', 'peanut'], dietary: ['halal'] }, 1000);
    const meal = await decide(purchase(till.readerId, pupil.cardholderId, basket(['MEAL', 1, 250]), clock.now()));
    expect(meal).to.include({ decision: 'granted' });
    expect(meal.display).to.include({ allergens: 'gluten,peanut', dietary: 'halal' });
    const cookie = await decide(purchase(till.readerId, pupil.cardholderId, basket(['COOKIE', 1, 60]), clock.now()));
    expect(cookie).to.include({ decision: 'denied', reason: 'allergen_conflict' });
    expect(cookie.display).to.include({ allergens: 'gluten,peanut', allergenConflict: 'gluten' });
  });

  it('spends the free school meal allowance first, then the purse', async () => {
    const { till } = await schoolWithTill(db.knex, { fsmAllowancePence: 250 });
    const pupil = await pupilAt(db.knex, till.schoolId, { fsmEligible: true }, 500);
    const decision = await decide(purchase(till.readerId, pupil.cardholderId, basket(['MEAL', 1, 250], ['COOKIE', 1, 60]), clock.now()));
    expect(decision).to.include({ decision: 'granted' });
    expect(decision.display).to.include({ chargedPence: 310, balancePence: 440 });
    // The till is never told about the FSM purse: FSM pupils are not identifiable there.
    expect(decision.display).to.not.have.any.keys('fsmBalancePence', 'fsm');
    expect(await balanceOf(db, pupil.fsmAccountId)).to.equal(0);
    expect(await balanceOf(db, till.takingsAccountId)).to.equal(310);
  });

  it('asks for the PIN (pin_required) at a card+pin school when the card alone was used', async () => {
    const { till } = await schoolWithTill(db.knex, { pinPolicy: 'card+pin', fsmAllowancePence: 0 });
    const pupil = await pupilAt(db.knex, till.schoolId, {}, 1000);
    expect(await decide(purchase(till.readerId, pupil.cardholderId, basket(['MEAL', 1, 250]), clock.now()))).to.include({ reason: 'pin_required' });
    expect(await decide(purchase(till.readerId, pupil.cardholderId, basket(['MEAL', 1, 250]), clock.now(), { assurance: 'card+pin' }))).to.include({ decision: 'granted' });
  });

  it('declines at a reader that is not a till, and a pupil of another school', async () => {
    const a = await schoolWithTill(db.knex);
    const b = await schoolWithTill(db.knex);
    const pupil = await pupilAt(db.knex, a.till.schoolId, {}, 1000);
    expect(await decide(purchase('door-7', pupil.cardholderId, basket(['MEAL', 1, 250]), clock.now()))).to.include({ reason: 'unknown_till' });
    expect(await decide(purchase(b.till.readerId, pupil.cardholderId, basket(['MEAL', 1, 250]), clock.now()))).to.include({ reason: 'not_registered' });
  });

  it('rolls the sale back when the time budget ran out before it committed', async () => {
    const { till } = await schoolWithTill(db.knex, { fsmAllowancePence: 0 });
    const pupil = await pupilAt(db.knex, till.schoolId, {}, 1000);
    const late = new AbortController();
    late.abort();
    const ctx = { ...moduleContext(cateringModule, db.knex, clock), signal: late.signal };
    let failed = false;
    await cateringModule.decide(purchase(till.readerId, pupil.cardholderId, basket(['MEAL', 1, 250]), clock.now()), ctx).catch(() => (failed = true));
    expect(failed).to.equal(true);
    expect(await balanceOf(db, pupil.purseAccountId)).to.equal(1000);
  });

  it('charges a tap once, however often it is decided (the tap id is the key)', async () => {
    const { till } = await schoolWithTill(db.knex, { fsmAllowancePence: 0 });
    const pupil = await pupilAt(db.knex, till.schoolId, {}, 1000);
    const tap = purchase(till.readerId, pupil.cardholderId, basket(['MEAL', 1, 250]), clock.now());
    const first = await decide(tap);
    const again = await decide(tap);
    expect(again).to.deep.equal(first);
    expect(await balanceOf(db, pupil.purseAccountId)).to.equal(750);
    const [row] = await db.knex('catering_sales').where({ tap_id: tap.id }).count({ n: '*' });
    expect(Number(row!.n)).to.equal(1);
  });
});
