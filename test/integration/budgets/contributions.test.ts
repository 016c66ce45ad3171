import { expect } from 'chai';
import { balanceOf, verifyLedger } from '../../../shared/ledger/index.js';
import { contributionsAccountId, fundingAccountId } from '../../../services/modules/budgets/budget-store.js';
import { approveLoad } from '../../../services/modules/budgets/budgets.js';
import { clawBack } from '../../../services/modules/budgets/clawback.js';
import { contributionSummary, payContribution } from '../../../services/modules/budgets/contributions.js';
import { reconciliation } from '../../../services/modules/budgets/reports.js';
import { createBudget, loadBudget } from '../../../services/modules/budgets/single-loads.js';
import type { TestDatabase } from '../../support/test-database.js';
import { addCardholder } from '../catering/support/module-harness.js';
import { budgetsDatabase } from './support/budgets-fixture.js';

const NOW = new Date('2026-11-25T10:00:00Z');

describe('budgets: client contributions (one test per rule)', function () {
  this.timeout(30_000);
  let db: TestDatabase;
  let counter = 0;

  before(async () => {
    db = await budgetsDatabase();
  });
  after(async () => {
    expect((await verifyLedger(db)).problems).to.deep.equal([]);
  });

  const errorOf = (promise: Promise<unknown>) =>
    promise.then(
      () => undefined,
      (error: { code: string; message: string; extensions?: Record<string, unknown> }) => error,
    );

  /** A December budget of £1,000 of which the client contributes £150. */
  async function budgetWithContribution(amountPence = 100_000, contributionPence = 15_000, thresholdPence = 10_000_000) {
    const recipient = await addCardholder(db.knex, 'care_recipient');
    const key = `contribution-budget-${++counter}-${recipient.id}`;
    const request = { recipient: recipient.reference, periodStart: '2026-12-01', periodEnd: '2026-12-28', categories: ['personal-care'], amountPence, contributionPence };
    const created = await createBudget(db.knex, request, { staffId: 'finance-1', idempotencyKey: key, now: NOW, thresholdPence });
    return { ...created, recipient, request, key };
  }

  it('loads a budget net of the client contribution, and the contribution is due', async () => {
    const funding = await balanceOf(db, await fundingAccountId(db.knex));
    const { budget, load, request, key } = await budgetWithContribution();
    expect(load).to.include({ status: 'applied', amountPence: 85_000, contributionPence: 15_000 });
    expect(await balanceOf(db, budget.accountId)).to.equal(85_000);
    expect(await balanceOf(db, await fundingAccountId(db.knex))).to.equal(funding - 85_000);
    expect(await contributionSummary(db.knex, budget.id)).to.deep.equal({ duePence: 15_000, paidPence: 0, outstandingPence: 15_000 });
    // The same key and body answer the first; another contribution under the same key is refused.
    const actor = { staffId: 'finance-1', idempotencyKey: key, now: NOW, thresholdPence: 10_000_000 };
    expect((await createBudget(db.knex, request, actor)).replayed).to.equal(true);
    expect((await errorOf(createBudget(db.knex, { ...request, contributionPence: 10_000 }, actor)))?.code).to.equal('ERR_IDEMPOTENCY_MISMATCH');
  });

  it('refuses a contribution that leaves the council nothing to load, naming the field', async () => {
    const recipient = await addCardholder(db.knex, 'care_recipient');
    const request = { recipient: recipient.reference, periodStart: '2026-12-01', periodEnd: '2026-12-28', categories: ['personal-care'], amountPence: 10_000, contributionPence: 10_000 };
    const error = await errorOf(createBudget(db.knex, request, { staffId: 'finance-1', idempotencyKey: `all-client-${recipient.id}`, now: NOW, thresholdPence: 10_000_000 }));
    expect(error).to.include({ code: 'ERR_BUDGET_INVALID', message: 'contributionPence (10000) must be less than amountPence (10000)' });
  });

  it('takes the client’s payment-in once per idempotency key, and never more than is outstanding', async () => {
    const { budget } = await budgetWithContribution();
    const received = await balanceOf(db, await contributionsAccountId(db.knex));
    const pay = (amountPence: number, idempotencyKey: string) => payContribution(db.knex, { budgetId: budget.id, amountPence, reference: 'SO-1', idempotencyKey, staffId: 'finance-2' }, NOW);
    const first = await pay(10_000, `pay-1-${budget.id}`);
    expect(first.replayed).to.equal(false);
    expect(first.contribution).to.include({ budgetId: budget.id, amountPence: 10_000, reference: 'SO-1', recordedBy: 'finance-2' });
    expect(await pay(10_000, `pay-1-${budget.id}`)).to.deep.equal({ contribution: first.contribution, replayed: true });
    expect((await errorOf(pay(9_000, `pay-1-${budget.id}`)))?.code).to.equal('ERR_IDEMPOTENCY_MISMATCH');
    expect(await balanceOf(db, budget.accountId)).to.equal(95_000);
    const over = await errorOf(pay(5_001, `pay-2-${budget.id}`));
    expect(over).to.include({ code: 'ERR_BUDGET_CONTRIBUTION_EXCEEDS_DUE', message: 'At most 5000 pence of the client contribution is outstanding' });
    await pay(5_000, `pay-3-${budget.id}`);
    expect(await contributionSummary(db.knex, budget.id)).to.deep.equal({ duePence: 15_000, paidPence: 15_000, outstandingPence: 0 });
    expect(await balanceOf(db, budget.accountId)).to.equal(100_000);
    expect(await balanceOf(db, await contributionsAccountId(db.knex))).to.equal(received - 15_000);
  });

  it('never takes more than is outstanding, however many payments-in race on one budget', async () => {
    const { budget } = await budgetWithContribution();
    // 12 payments of £20 against £150 outstanding: exactly 7 fit.
    const results = await Promise.allSettled(
      Array.from({ length: 12 }, (_, i) => payContribution(db.knex, { budgetId: budget.id, amountPence: 2_000, idempotencyKey: `race-${i}-${budget.id}`, staffId: 'finance-2' }, NOW)),
    );
    const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(results.length - refused.length).to.equal(7);
    expect(refused.map((r) => (r.reason as { code: string }).code)).to.deep.equal(Array(5).fill('ERR_BUDGET_CONTRIBUTION_EXCEEDS_DUE'));
    expect(await contributionSummary(db.knex, budget.id)).to.deep.equal({ duePence: 15_000, paidPence: 14_000, outstandingPence: 1_000 });
    expect(await balanceOf(db, budget.accountId)).to.equal(85_000 + 14_000);
  });

  it('makes the contribution of a load waiting for a second approver due only once the load is applied; the threshold counts the net load', async () => {
    // £1,200 with £300 from the client: the council's £900 is under a £1,000 threshold, so it applies at once.
    const { budget } = await budgetWithContribution(120_000, 30_000, 100_000);
    expect(await balanceOf(db, budget.accountId)).to.equal(90_000);
    const { load } = await loadBudget(db.knex, budget.id, { amountPence: 160_000, contributionPence: 20_000 }, { staffId: 'finance-1', idempotencyKey: `big-${budget.id}`, now: NOW, thresholdPence: 100_000 });
    expect(load).to.include({ status: 'pending', amountPence: 140_000, contributionPence: 20_000 });
    expect((await contributionSummary(db.knex, budget.id)).duePence).to.equal(30_000);
    await approveLoad(db.knex, load.id, 'finance-2', NOW);
    expect(await contributionSummary(db.knex, budget.id)).to.deep.equal({ duePence: 50_000, paidPence: 0, outstandingPence: 50_000 });
  });

  it('refuses a payment-in on a closed budget, and the reconciliation counts contributions', async () => {
    const { budget } = await budgetWithContribution();
    await payContribution(db.knex, { budgetId: budget.id, amountPence: 15_000, idempotencyKey: `full-${budget.id}`, staffId: 'finance-2' }, NOW);
    const closed = await clawBack(db.knex, budget.id, 'finance-1', new Date('2026-12-29T09:00:00Z'), 'Europe/London');
    expect(closed).to.include({ status: 'closed', clawbackPence: 100_000 });
    // Nothing is paid into a closed budget: its period ended and what was left went back.
    const late = await errorOf(payContribution(db.knex, { budgetId: budget.id, amountPence: 1, idempotencyKey: `late-${budget.id}`, staffId: 'finance-2' }, NOW));
    expect(late?.code).to.equal('ERR_BUDGET_CONFLICT');
    const report = await reconciliation(db.knex, { from: '2026-12-01', to: '2026-12-31' });
    const row = report.budgets.find((b) => b.budgetId === budget.id);
    expect(row).to.include({ loadedPence: 85_000, contributedPence: 15_000, contributionOutstandingPence: 0, spentPence: 0, clawedBackPence: 100_000, balancePence: 0, reconciles: true });
    expect(report.totals.balanced).to.equal(true);
    expect(report.totals.fundingBalancePence + report.totals.contributionsReceivedBalancePence + report.totals.heldInBudgetsAndProvidersPence).to.equal(0);
  });
});
