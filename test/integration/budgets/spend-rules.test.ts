import { expect } from 'chai';
import { balanceOf, verifyLedger } from '../../../shared/ledger/index.js';
import type { AuthenticatedTap } from '../../../shared/modules/index.js';
import { budgetsModule } from '../../../services/modules/budgets/index.js';
import { clawBack } from '../../../services/modules/budgets/clawback.js';
import { setRecipientHold, updateProvider } from '../../../services/modules/budgets/providers.js';
import type { TestDatabase } from '../../support/test-database.js';
import { clockAt, moduleContext } from '../catering/support/module-harness.js';
import { budgetsDatabase, providerWithTerminal, recipientWithBudget, spendTap } from './support/budgets-fixture.js';

const DEC_10 = new Date('2026-12-10T15:00:00Z');

describe('budgets: budget.spend rules (one test each)', function () {
  this.timeout(60_000);
  let db: TestDatabase;
  const decide = (tap: AuthenticatedTap) => budgetsModule.decide(tap, moduleContext(budgetsModule, db.knex, clockAt(tap.at.toISOString())));

  before(async () => {
    db = await budgetsDatabase();
  });
  after(async () => {
    expect((await verifyLedger(db)).problems).to.deep.equal([]);
  });

  it('pays the provider the signed amount from the budget', async () => {
    const { provider, readerId } = await providerWithTerminal(db.knex);
    const { recipient, budget } = await recipientWithBudget(db.knex, 50_000);
    const decision = await decide(spendTap(readerId, recipient.id, 12_345, 'personal-care', DEC_10));
    expect(decision).to.deep.include({ decision: 'granted', reason: 'ok', display: { chargedPence: 12_345, balancePence: 37_655 } });
    expect(await balanceOf(db, provider.accountId)).to.equal(12_345);
    expect(await balanceOf(db, budget.accountId)).to.equal(37_655);
  });

  it('declines with insufficient_funds (no overdraft)', async () => {
    const { readerId } = await providerWithTerminal(db.knex);
    const { recipient, budget } = await recipientWithBudget(db.knex, 1_000);
    expect(await decide(spendTap(readerId, recipient.id, 1_001, 'personal-care', DEC_10))).to.include({ decision: 'denied', reason: 'insufficient_funds' });
    expect(await balanceOf(db, budget.accountId)).to.equal(1_000);
  });

  it('declines with category_not_allowed when the budget or the provider does not allow the category', async () => {
    const { readerId } = await providerWithTerminal(db.knex, ['personal-care', 'transport']);
    const { recipient } = await recipientWithBudget(db.knex, 5_000, ['personal-care', 'day-centre']);
    expect(await decide(spendTap(readerId, recipient.id, 100, 'transport', DEC_10))).to.include({ reason: 'category_not_allowed' });
    expect(await decide(spendTap(readerId, recipient.id, 100, 'day-centre', DEC_10))).to.include({ reason: 'category_not_allowed' });
  });

  it('declines with provider_not_approved at an unknown terminal or a suspended provider', async () => {
    const { provider, readerId } = await providerWithTerminal(db.knex);
    const { recipient } = await recipientWithBudget(db.knex, 5_000);
    expect(await decide(spendTap('some-other-reader', recipient.id, 100, 'personal-care', DEC_10))).to.include({ reason: 'provider_not_approved' });
    await updateProvider(db.knex, provider.id, { status: 'suspended' }, 'finance-2');
    expect(await decide(spendTap(readerId, recipient.id, 100, 'personal-care', DEC_10))).to.include({ reason: 'provider_not_approved' });
  });

  it('declines with card_not_active when the recipient is on hold or the card is another organisation’s', async () => {
    const { readerId } = await providerWithTerminal(db.knex);
    const { recipient } = await recipientWithBudget(db.knex, 5_000);
    await setRecipientHold(db.knex, recipient.reference, true, 'finance-1');
    expect(await decide(spendTap(readerId, recipient.id, 100, 'personal-care', DEC_10))).to.include({ reason: 'card_not_active' });
    await setRecipientHold(db.knex, recipient.reference, false, 'finance-1');
    const external: AuthenticatedTap = { ...spendTap(readerId, recipient.id, 100, 'personal-care', DEC_10), credential: { kind: 'external', anchorId: 'x', anchorName: 'Other council', subject: 'CN=x', serial: '01' } };
    expect(await decide(external)).to.include({ reason: 'card_not_active' });
    expect(await decide(spendTap(readerId, recipient.id, 100, 'personal-care', DEC_10))).to.include({ decision: 'granted' });
  });

  it('declines with budget_period_closed after the period ends (organisation time zone) and after clawback', async () => {
    const { readerId } = await providerWithTerminal(db.knex);
    const { recipient, budget } = await recipientWithBudget(db.knex, 5_000);
    // 28 Dec 23:30 in London is still the last day of the period.
    expect(await decide(spendTap(readerId, recipient.id, 100, 'personal-care', new Date('2026-12-28T23:30:00Z')))).to.include({ decision: 'granted' });
    expect(await decide(spendTap(readerId, recipient.id, 100, 'personal-care', new Date('2026-12-29T00:30:00Z')))).to.include({ reason: 'budget_period_closed' });
    await clawBack(db.knex, budget.id, 'finance-1', new Date('2026-12-29T09:00:00Z'), 'Europe/London');
    expect(await balanceOf(db, budget.accountId)).to.equal(0);
    expect(await decide(spendTap(readerId, recipient.id, 100, 'personal-care', new Date('2026-12-29T10:00:00Z')))).to.include({ reason: 'budget_period_closed' });
    // Before the period: no budget yet.
    expect(await decide(spendTap(readerId, recipient.id, 100, 'personal-care', new Date('2026-11-30T12:00:00Z')))).to.include({ reason: 'no_budget' });
  });

  it('refuses a payload that is not an amount and a category, and pays a tap only once', async () => {
    const { readerId } = await providerWithTerminal(db.knex);
    const { recipient, budget } = await recipientWithBudget(db.knex, 5_000);
    const bad = { ...spendTap(readerId, recipient.id, 100, 'personal-care', DEC_10), payload: new TextEncoder().encode('{"amountPence":-5,"category":"personal-care"}') };
    expect(await decide(bad)).to.include({ reason: 'payload_invalid' });
    const tap = spendTap(readerId, recipient.id, 700, 'personal-care', DEC_10);
    expect(await decide(tap)).to.include({ decision: 'granted' });
    expect(await decide(tap)).to.include({ decision: 'granted' });
    expect(await balanceOf(db, budget.accountId)).to.equal(4_300);
  });
});
