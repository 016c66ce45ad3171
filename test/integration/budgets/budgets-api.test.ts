import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import { listAuditEvents } from '../../../shared/audit/index.js';
import { verifyLedger } from '../../../shared/ledger/index.js';
import { budgetsModule } from '../../../services/modules/budgets/index.js';
import { clientAs, headerAuthenticator } from '../../support/test-auth.js';
import { startTestPlatform, type TestPlatform } from '../../support/test-platform.js';
import type { TestDatabase } from '../../support/test-database.js';
import { addCardholder, clockAt, moduleContext, moduleRoutesService } from '../catering/support/module-harness.js';
import { budgetsDatabase, spendTap } from './support/budgets-fixture.js';

describe('budgets: management API', function () {
  this.timeout(60_000);
  let db: TestDatabase;
  let platform: TestPlatform;
  const clock = clockAt('2026-11-25T10:00:00Z');

  before(async () => {
    db = await budgetsDatabase();
    const ctx = moduleContext(budgetsModule, db.knex, clock, 'Europe/London', { budgetApprovalThresholdPence: 100_000 });
    platform = await startTestPlatform({ db, services: [moduleRoutesService(budgetsModule, ctx)], authenticate: headerAuthenticator, now: clock.now });
  });
  after(async () => {
    await platform?.close();
    expect((await verifyLedger(db)).problems).to.deep.equal([]);
  });

  const call = async (method: string, path: string, body: unknown, headers: Record<string, string>) => {
    const isCsv = typeof body === 'string';
    const response = await fetch(`${platform.baseUrl}${path}`, {
      method,
      headers: { ...(body === undefined ? {} : { 'content-type': isCsv ? 'text/csv' : 'application/json' }), ...headers },
      ...(body === undefined ? {} : { body: isCsv ? body : JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, replayed: response.headers.get('idempotent-replayed'), body: text ? (JSON.parse(text) as any) : undefined };
  };
  const as = (staff: string, role = 'finance') => ({
    post: (path: string, body?: unknown, key?: string) => call('POST', path, body, { 'x-test-role': role, 'x-test-staff': staff, ...(key ? { 'idempotency-key': key } : {}) }),
    put: (path: string, body: unknown) => call('PUT', path, body, { 'x-test-role': role, 'x-test-staff': staff }),
    get: (path: string) => call('GET', path, undefined, { 'x-test-role': role, 'x-test-staff': staff }),
    patch: (path: string, body: unknown) => call('PATCH', path, body, { 'x-test-role': role, 'x-test-staff': staff }),
  });

  it('creates budgets idempotently, holds a large load for a second approver, spends, claws back and reconciles', async () => {
    const alice = as('alice');
    const bob = as('bob');
    const recipient = await addCardholder(db.knex, 'care_recipient');
    const provider = await as('carol', 'budgets-manager').post('/v1/budgets/providers', { name: `Care Co ${randomUUID()}`, categories: ['personal-care'] });
    expect(provider.status).to.equal(201);
    expect((await as('carol', 'budgets-manager').put('/v1/budgets/terminals/care-co-1', { providerId: provider.body.id })).status).to.equal(200);
    expect((await as('carol', 'budgets-manager').post('/v1/budgets/budgets', {}, 'k')).status).to.equal(403);

    const create = { recipient: recipient.reference, periodStart: '2026-12-01', periodEnd: '2026-12-28', categories: ['personal-care'], amountPence: 80_000 };
    const key = randomUUID();
    const first = await alice.post('/v1/budgets/budgets', create, key);
    expect(first.status).to.equal(201);
    expect(first.body.load).to.include({ status: 'applied', amountPence: 80_000 });
    const again = await alice.post('/v1/budgets/budgets', create, key);
    expect(again).to.deep.include({ status: 201, replayed: 'true', body: first.body });
    expect((await alice.post('/v1/budgets/budgets', { ...create, amountPence: 1 }, key)).status).to.equal(409);
    expect((await alice.post('/v1/budgets/budgets', { ...create, recipient: 'TH-NOPE' }, randomUUID())).status).to.equal(422);
    const budgetId = first.body.budget.id as string;

    // £1,500 is above the £1,000 threshold: pending until someone other than alice approves.
    const loadKey = randomUUID();
    const big = await alice.post(`/v1/budgets/budgets/${budgetId}/loads`, { amountPence: 150_000 }, loadKey);
    expect(big.body).to.include({ status: 'pending' });
    expect(await alice.post(`/v1/budgets/budgets/${budgetId}/loads`, { amountPence: 150_000 }, loadKey)).to.deep.include({ status: 201, replayed: 'true', body: big.body });
    expect((await alice.post(`/v1/budgets/budgets/${budgetId}/loads`, { amountPence: 150_001 }, loadKey)).status).to.equal(409);
    expect((await alice.post(`/v1/budgets/budgets/${budgetId}/loads`, { amountPence: 100 })).status).to.equal(400);
    expect((await alice.post(`/v1/budgets/loads/${big.body.id}/approval`)).status).to.equal(403);
    const approved = await bob.post(`/v1/budgets/loads/${big.body.id}/approval`);
    expect(approved.body).to.include({ status: 'applied', approvedBy: 'bob', requestedBy: 'alice' });

    // A CSV with a bad row: 422 with the row and field, over HTTP.
    const csv = await alice.post('/v1/budgets/uploads', `recipient,period_start,period_end,amount,categories\n${recipient.reference},2027-01-01,2027-01-28,abc,personal-care\n`);
    expect(csv.status).to.equal(422);
    expect(csv.body.errors).to.deep.equal([{ row: 2, field: 'amount', message: 'abc is not an amount in pounds greater than 0, e.g. 1250.00' }]);

    const spend = await budgetsModule.decide(spendTap('care-co-1', recipient.id, 30_000, 'personal-care', new Date('2026-12-05T11:00:00Z')), moduleContext(budgetsModule, db.knex, clock));
    expect(spend).to.include({ decision: 'granted' });

    // Clawback only after the period.
    expect((await alice.post(`/v1/budgets/budgets/${budgetId}/clawback`)).status).to.equal(409);
    clock.at = new Date('2026-12-29T09:00:00Z');
    const closed = await alice.post('/v1/budgets/clawback');
    expect(closed.body.closed).to.be.greaterThanOrEqual(1);
    expect((await alice.get(`/v1/budgets/budgets/${budgetId}`)).body).to.include({ status: 'closed', clawbackPence: 200_000 });

    const statement = await as('dave', 'budgets-manager').get(`/v1/budgets/recipients/${recipient.reference}/statement`);
    expect(statement.body.budgets).to.have.length(1);
    expect(statement.body.budgets[0]).to.include({ balancePence: 0, clawbackPence: 200_000 });
    expect(statement.body.budgets[0].spends.map((s: { amountPence: number }) => s.amountPence)).to.deep.equal([30_000]);
    expect(statement.body.budgets[0].lines.map((l: { amount: number }) => l.amount)).to.deep.equal([80_000, 150_000, -30_000, -200_000]);

    const report = await alice.get('/v1/budgets/reports/reconciliation?from=2026-12-01&to=2026-12-31');
    const row = report.body.budgets.find((b: { budgetId: string }) => b.budgetId === budgetId);
    expect(row).to.include({ loadedPence: 230_000, spentPence: 30_000, clawedBackPence: 200_000, balancePence: 0, reconciles: true });
    expect(report.body.totals.balanced).to.equal(true);

    const audit = await listAuditEvents(db.knex, { subjectKind: 'budget', subjectId: budgetId, limit: 20 });
    expect(audit.events.map((e) => [e.action, e.actor.id]).reverse()).to.deep.equal([
      ['budget.load', 'alice'],
      ['budget.load', 'alice'],
      ['budget.load-approve', 'bob'],
      ['budget.clawback', 'alice'],
    ]);
  });

  it('loads net of a client contribution and takes the client’s payment-in idempotently', async () => {
    const alice = as('alice');
    const recipient = await addCardholder(db.knex, 'care_recipient');
    const create = { recipient: recipient.reference, periodStart: '2027-01-01', periodEnd: '2027-01-28', categories: ['personal-care'], amountPence: 60_000, contributionPence: 12_000 };
    const created = await alice.post('/v1/budgets/budgets', create, randomUUID());
    expect(created.status).to.equal(201);
    expect(created.body.load).to.include({ status: 'applied', amountPence: 48_000, contributionPence: 12_000 });
    const budgetId = created.body.budget.id as string;
    expect((await alice.post('/v1/budgets/budgets', { ...create, contributionPence: 60_000 }, randomUUID())).body).to.include({ code: 'ERR_BUDGET_INVALID' });

    const path = `/v1/budgets/budgets/${budgetId}/contributions`;
    const key = randomUUID();
    const paid = await alice.post(path, { amountPence: 7_000, reference: 'bank SO 0001' }, key);
    expect(paid.status).to.equal(201);
    expect(paid.body).to.include({ budgetId, amountPence: 7_000, reference: 'bank SO 0001', recordedBy: 'alice' });
    expect(await alice.post(path, { amountPence: 7_000, reference: 'bank SO 0001' }, key)).to.deep.include({ status: 201, replayed: 'true', body: paid.body });
    expect((await alice.post(path, { amountPence: 7_001, reference: 'bank SO 0001' }, key)).status).to.equal(409);
    expect((await alice.post(path, { amountPence: 7_000 })).status).to.equal(400);
    const over = await alice.post(path, { amountPence: 5_001 }, randomUUID());
    expect(over.status).to.equal(422);
    expect(over.body).to.include({ code: 'ERR_BUDGET_CONTRIBUTION_EXCEEDS_DUE' });
    expect((await as('carol', 'budgets-manager').post(path, { amountPence: 100 }, randomUUID())).status).to.equal(403);

    const budget = await alice.get(`/v1/budgets/budgets/${budgetId}`);
    expect(budget.body.contribution).to.deep.equal({ duePence: 12_000, paidPence: 7_000, outstandingPence: 5_000 });
    const statement = await as('dave', 'budgets-manager').get(`/v1/budgets/recipients/${recipient.reference}/statement`);
    expect(statement.body.budgets[0].contributions.map((c: { amountPence: number }) => c.amountPence)).to.deep.equal([7_000]);
    expect(statement.body.budgets[0].lines.map((l: { amount: number }) => l.amount)).to.deep.equal([48_000, 7_000]);
    const audit = await listAuditEvents(db.knex, { action: 'budget.contribution', subjectId: budgetId, limit: 10 });
    expect(audit.events.map((e) => e.actor.id)).to.deep.equal(['alice']);
  });

  // Found by the API fuzz (test/integration/platform/api-fuzz.test.ts): the rename hit the unique index, a 500.
  it("refuses renaming a provider to another provider's name with 409", async () => {
    const carol = as('carol', 'budgets-manager');
    const taken = await carol.post('/v1/budgets/providers', { name: `Taken ${randomUUID()}`, categories: ['personal-care'] });
    const other = await carol.post('/v1/budgets/providers', { name: `Other ${randomUUID()}`, categories: ['personal-care'] });
    expect([taken.status, other.status]).to.deep.equal([201, 201]);
    const renamed = await carol.patch(`/v1/budgets/providers/${other.body.id}`, { name: taken.body.name });
    expect(renamed.status).to.equal(409);
    expect(renamed.body.code).to.equal('ERR_BUDGET_CONFLICT');
    expect((await carol.patch(`/v1/budgets/providers/${other.body.id}`, { name: other.body.name })).status).to.equal(200);
  });

  // Found by the API fuzz (test/integration/platform/api-fuzz.test.ts): year 0000 passed the date format and failed in the database.
  it('refuses a report period in year 0000 with 400, not a 500 from the database', async () => {
    const report = await as('alice').get('/v1/budgets/reports/reconciliation?from=0000-01-01&to=0000-12-31');
    expect(report.status).to.equal(400);
    expect(report.body.code).to.equal('ERR_VALIDATION');
  });
});
