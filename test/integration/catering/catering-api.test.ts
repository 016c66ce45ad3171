import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import { listAuditEvents } from '../../../shared/audit/index.js';
import { verifyLedger } from '../../../shared/ledger/index.js';
import { cateringModule } from '../../../services/modules/catering/index.js';
import { clientAs, headerAuthenticator } from '../../support/test-auth.js';
import { startTestPlatform, type TestPlatform } from '../../support/test-platform.js';
import type { TestDatabase } from '../../support/test-database.js';
import { addCardholder, clockAt, moduleContext, moduleRoutesService } from './support/module-harness.js';
import { basket, cateringDatabase, purchase } from './support/catering-fixture.js';

describe('catering: management API', function () {
  this.timeout(60_000);
  let db: TestDatabase;
  let platform: TestPlatform;
  const clock = clockAt('2026-11-23T12:00:00Z');
  let manager: ReturnType<typeof clientAs>;

  before(async () => {
    db = await cateringDatabase();
    const ctx = moduleContext(cateringModule, db.knex, clock);
    platform = await startTestPlatform({ db, services: [moduleRoutesService(cateringModule, ctx)], authenticate: headerAuthenticator, now: clock.now });
    manager = clientAs(platform.baseUrl, 'catering-manager');
  });
  after(async () => {
    await platform?.close();
    expect((await verifyLedger(db)).problems).to.deep.equal([]);
  });

  const withKey = async (role: string, path: string, body: unknown, key: string) => {
    const response = await fetch(`${platform.baseUrl}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-test-role': role, 'x-test-staff': `${role}-7`, 'idempotency-key': key },
      body: JSON.stringify(body),
    });
    return { status: response.status, replayed: response.headers.get('idempotent-replayed'), body: (await response.json()) as any };
  };

  it('sets up a school, a till and a pupil, takes an idempotent top-up, sells, refunds and reports', async () => {
    const school = await manager.post('/v1/catering/schools', { name: `API school ${randomUUID()}`, fsmAllowancePence: 0, defaultDailyLimitPence: 500 });
    expect(school.status).to.equal(201);
    const schoolId = school.body.id as string;
    expect((await manager.patch(`/v1/catering/schools/${schoolId}`, { pinPolicy: 'card' })).status).to.equal(200);
    expect((await manager.post(`/v1/catering/schools/${schoolId}`)).status).to.equal(404);
    expect((await fetch(`${platform.baseUrl}/v1/catering/schools/${schoolId}/calendar`, { method: 'PUT', headers: { 'content-type': 'application/json', 'x-test-role': 'catering-manager' }, body: JSON.stringify({ terms: [{ startsOn: '2026-09-01', endsOn: '2026-12-18' }], insetDays: [] }) })).status).to.equal(200);
    const put = (path: string, body: unknown, role = 'catering-manager') =>
      fetch(`${platform.baseUrl}${path}`, { method: 'PUT', headers: { 'content-type': 'application/json', 'x-test-role': role, 'x-test-staff': 'manager-9' }, body: JSON.stringify(body) });
    expect((await put(`/v1/catering/schools/${schoolId}/items/MEAL`, { name: 'Hot meal', pricePence: 250, allergens: ['milk'] })).status).to.equal(200);
    expect((await put('/v1/catering/tills/till-api-1', { schoolId, name: 'Hall till' })).status).to.equal(200);
    const { id: cardholderId } = await addCardholder(db.knex);
    expect((await put(`/v1/catering/pupils/${cardholderId}`, { schoolId, allergens: ['milk'], dietary: ['vegetarian'] }, 'finance')).status).to.equal(403);
    expect((await put(`/v1/catering/pupils/${randomUUID()}`, { schoolId })).status).to.equal(422);
    expect((await put(`/v1/catering/pupils/${cardholderId}`, { schoolId, dietary: ['vegetarian'] })).status).to.equal(200);

    // Top-ups: the same key and body credit once; the same key with another amount is refused.
    const key = randomUUID();
    const first = await withKey('finance', `/v1/catering/pupils/${cardholderId}/top-ups`, { amountPence: 1000, reference: 'parentpay-1' }, key);
    const again = await withKey('finance', `/v1/catering/pupils/${cardholderId}/top-ups`, { amountPence: 1000, reference: 'parentpay-1' }, key);
    const other = await withKey('finance', `/v1/catering/pupils/${cardholderId}/top-ups`, { amountPence: 2000, reference: 'parentpay-1' }, key);
    expect(first).to.deep.include({ status: 201, replayed: null });
    expect(first.body.balancePence).to.equal(1000);
    expect(again).to.deep.include({ status: 201, replayed: 'true', body: first.body });
    expect(other.status).to.equal(409);
    expect((await manager.post(`/v1/catering/pupils/${cardholderId}/top-ups`, { amountPence: 5 })).status).to.equal(400);

    // A sale at the till, then a partial refund by the catering manager (not by finance).
    const tap = purchase('till-api-1', cardholderId, basket(['MEAL', 1, 250]), clock.now());
    expect(await cateringModule.decide(tap, moduleContext(cateringModule, db.knex, clock))).to.include({ decision: 'granted' });
    const sale = await db.knex('catering_sales').where({ tap_id: tap.id }).first('id');
    expect((await withKey('finance', `/v1/catering/sales/${sale.id}/refunds`, { amountPence: 100, reason: 'no pudding' }, 'r-1')).status).to.equal(403);
    const refund = await withKey('catering-manager', `/v1/catering/sales/${sale.id}/refunds`, { amountPence: 100, reason: 'no pudding' }, 'r-1');
    expect(refund.status).to.equal(201);
    expect(refund.body).to.include({ amountPence: 100, cashPence: 100, staffId: 'catering-manager-7' });
    expect((await withKey('catering-manager', `/v1/catering/sales/${sale.id}/refunds`, { amountPence: 100, reason: 'no pudding' }, 'r-1')).replayed).to.equal('true');
    expect((await withKey('catering-manager', `/v1/catering/sales/${sale.id}/refunds`, { amountPence: 200, reason: 'too much' }, 'r-2')).status).to.equal(422);

    const takings = await clientAs(platform.baseUrl, 'finance').get(`/v1/catering/reports/takings?from=2026-11-23&to=2026-11-23&schoolId=${schoolId}`);
    expect(takings.body.rows).to.deep.equal([
      { readerId: 'till-api-1', till: 'Hall till', schoolId, day: '2026-11-23', sales: 1, grossPence: 250, fsmPence: 0, cashPence: 250, refundsPence: 100, netPence: 150 },
    ]);
    const statement = await manager.get(`/v1/catering/pupils/${cardholderId}/statement?from=2026-11-01&to=2026-11-30`);
    expect(statement.body).to.include({ balancePence: 850, fsmBalancePence: 0 });
    expect(statement.body.sales).to.have.length(1);
    expect(statement.body.sales[0]).to.include({ totalPence: 250, refundedPence: 100 });
    expect(statement.body.sales[0].basket).to.deep.equal(basket(['MEAL', 1, 250]));
    expect(statement.body.purse.map((l: { amount: number }) => l.amount)).to.deep.equal([1000, -250, 100]);

    const audit = await listAuditEvents(db.knex, { action: 'catering.refund', subjectId: sale.id, limit: 10 });
    expect(audit.events.some((e) => e.actor.id === 'catering-manager-7' && e.subject?.id === sale.id)).to.equal(true);
  });

  it('replaces a school’s meal times, shows them with the school, and refuses bad ones with 400 naming the problem', async () => {
    const school = await manager.post('/v1/catering/schools', { name: `Meal times school ${randomUUID()}` });
    const schoolId = school.body.id as string;
    const put = (body: unknown, role = 'catering-manager') =>
      fetch(`${platform.baseUrl}/v1/catering/schools/${schoolId}/meal-times`, { method: 'PUT', headers: { 'content-type': 'application/json', 'x-test-role': role, 'x-test-staff': 'manager-9' }, body: JSON.stringify(body) });
    const lunch = { name: 'lunch', startsAt: '11:45', endsAt: '13:30', limitPence: 300, fsm: true };
    const set = await put({ mealTimes: [lunch, { name: 'breakfast', startsAt: '07:30', endsAt: '09:00' }] });
    expect(set.status).to.equal(200);
    const expected = [{ name: 'breakfast', startsAt: '07:30', endsAt: '09:00', limitPence: null, fsm: false }, lunch];
    expect(((await set.json()) as { mealTimes: unknown }).mealTimes).to.deep.equal(expected);
    expect((await manager.get(`/v1/catering/schools/${schoolId}`)).body.mealTimes).to.deep.equal(expected);
    expect((await put({ mealTimes: [lunch] }, 'finance')).status).to.equal(403);
    expect((await put({ mealTimes: [{ ...lunch, startsAt: '25:00' }] })).status).to.equal(400);
    const overlap = await put({ mealTimes: [lunch, { name: 'late-lunch', startsAt: '13:00', endsAt: '14:00' }] });
    expect(overlap.status).to.equal(400);
    expect(await overlap.json()).to.include({ code: 'ERR_CATERING_MEAL_TIMES_INVALID', detail: 'lunch and late-lunch overlap' });
    const audit = await listAuditEvents(db.knex, { action: 'catering.meal-times-set', subjectId: schoolId, limit: 10 });
    expect(audit.events.map((e) => e.actor.id)).to.deep.equal(['manager-9']);
  });

  it('serves low-balance alerts per pupil and per school for the top-up side to poll', async () => {
    const school = await manager.post('/v1/catering/schools', { name: `Alerts school ${randomUUID()}`, lowBalanceThresholdPence: 500 });
    expect(school.body).to.include({ lowBalanceThresholdPence: 500 });
    const schoolId = school.body.id as string;
    const put = (path: string, body: unknown) =>
      fetch(`${platform.baseUrl}${path}`, { method: 'PUT', headers: { 'content-type': 'application/json', 'x-test-role': 'catering-manager' }, body: JSON.stringify(body) });
    expect((await put(`/v1/catering/schools/${schoolId}/items/MEAL`, { name: 'Hot meal', pricePence: 250 })).status).to.equal(200);
    expect((await put('/v1/catering/tills/till-alerts-1', { schoolId, name: 'Hall till' })).status).to.equal(200);
    const { id: cardholderId } = await addCardholder(db.knex);
    const pupil = await put(`/v1/catering/pupils/${cardholderId}`, { schoolId, lowBalanceThresholdPence: 600 });
    expect(await pupil.json()).to.include({ lowBalanceThresholdPence: 600 });
    expect((await withKey('finance', `/v1/catering/pupils/${cardholderId}/top-ups`, { amountPence: 700 }, randomUUID())).status).to.equal(201);
    expect(await cateringModule.decide(purchase('till-alerts-1', cardholderId, basket(['MEAL', 1, 250]), clock.now()), moduleContext(cateringModule, db.knex, clock))).to.include({ decision: 'granted' });

    const finance = clientAs(platform.baseUrl, 'finance');
    const mine = await finance.get(`/v1/catering/pupils/${cardholderId}/alerts?open=true`);
    expect(mine.status).to.equal(200);
    expect(mine.body).to.include({ cardholderId, thresholdPence: 600, balancePence: 450 });
    expect(mine.body.alerts).to.have.length(1);
    expect(mine.body.alerts[0]).to.include({ thresholdPence: 600, balancePence: 450, resolvedAt: null });
    const all = await finance.get(`/v1/catering/alerts?schoolId=${schoolId}`);
    expect(all.body.alerts.map((a: { cardholderId: string }) => a.cardholderId)).to.deep.equal([cardholderId]);
    expect((await finance.get(`/v1/catering/alerts?schoolId=${schoolId}&after=${all.body.next}`)).body).to.deep.equal({ alerts: [], next: all.body.next });
    expect((await finance.get(`/v1/catering/alerts?after=-1`)).status).to.equal(400);
    expect((await finance.get(`/v1/catering/pupils/${randomUUID()}/alerts`)).status).to.equal(404);
    expect((await clientAs(platform.baseUrl, 'budgets-manager').get(`/v1/catering/alerts`)).status).to.equal(403);
  });

  // Found by the API fuzz (test/integration/platform/api-fuzz.test.ts): the rename hit the unique index, a 500.
  it("refuses renaming a school to another school's name with 409, and keeps its own name", async () => {
    const taken = await manager.post('/v1/catering/schools', { name: `Taken ${randomUUID()}` });
    const other = await manager.post('/v1/catering/schools', { name: `Other ${randomUUID()}` });
    expect([taken.status, other.status]).to.deep.equal([201, 201]);
    const renamed = await manager.patch(`/v1/catering/schools/${other.body.id}`, { name: taken.body.name });
    expect(renamed.status).to.equal(409);
    expect(renamed.body.code).to.equal('ERR_CATERING_CONFLICT');
    expect((await manager.patch(`/v1/catering/schools/${other.body.id}`, { name: other.body.name })).status).to.equal(200);
  });

  // Found by the API fuzz (test/integration/platform/api-fuzz.test.ts): year 0000 passed the date format and failed in the database.
  it('refuses a report period in year 0000 with 400, not a 500 from the database', async () => {
    const takings = await clientAs(platform.baseUrl, 'finance').get('/v1/catering/reports/takings?from=0000-01-01&to=0000-12-31');
    expect(takings.status).to.equal(400);
    expect(takings.body.code).to.equal('ERR_VALIDATION');
  });

  it('lists its routes in the OpenAPI document', async () => {
    const doc = (await (await fetch(`${platform.baseUrl}/openapi.json`)).json()) as { paths: Record<string, unknown> };
    expect(doc.paths).to.include.keys('/v1/catering/pupils/{cardholderId}/top-ups', '/v1/catering/sales/{saleId}/refunds', '/v1/catering/reports/takings');
  });
});
