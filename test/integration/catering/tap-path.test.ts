import { expect } from 'chai';
import { balanceOf, verifyLedger } from '../../../shared/ledger/index.js';
import { budgetsModule } from '../../../services/modules/budgets/index.js';
import { localDate } from '../../../services/modules/budgets/budget-store.js';
import { createProvider, putTerminal } from '../../../services/modules/budgets/providers.js';
import { createBudget } from '../../../services/modules/budgets/single-loads.js';
import { cateringModule } from '../../../services/modules/catering/index.js';
import { putPupil, putTill } from '../../../services/modules/catering/setup.js';
import { sharedTestDatabase, type TestDatabase } from '../../support/test-database.js';
import { tapEnvironment, type TapEnvironment } from '../auth/tap-fixture.js';
import { basket, cateringMigrations, schoolWithTill } from './support/catering-fixture.js';
import { budgetsMigrations } from '../budgets/support/budgets-fixture.js';
import { transfer } from '../../../shared/ledger/index.js';

const bytes = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));

/** Through the real tap path: challenge, a software card signing over the payload, the auth service routing to the module. */
describe('catering and budgets: through the tap path', function () {
  this.timeout(120_000);
  let db: TestDatabase;
  let env: TapEnvironment;

  before(async () => {
    db = await sharedTestDatabase({ extraDirectories: [...cateringMigrations.extraDirectories, ...budgetsMigrations.extraDirectories] });
    env = await tapEnvironment({ db, modules: [cateringModule, budgetsModule] });
  });
  after(async () => {
    await env?.close();
    expect((await verifyLedger(db)).problems).to.deep.equal([]);
  });

  it('charges the basket the card signed at a till, and refuses a basket changed after signing', async () => {
    const { school } = await schoolWithTill(db.knex, { fsmAllowancePence: 0 });
    const till = await env.newReader({ kind: 'till', module: 'catering' });
    const { takingsAccountId } = await putTill(db.knex, till.id, { schoolId: school.id, name: 'Hall' }, 'manager-1');
    const card = await env.issue({ kind: 'pupil' });
    const pupil = await putPupil(db.knex, card.cardholderId, { schoolId: school.id, dietary: ['vegetarian'] }, 'manager-1');
    await transfer(db.knex, { idempotencyKey: `tap-path-top-up-${card.cardholderId}`, debitAccountId: school.topupAccountId, creditAccountId: pupil.purseAccountId, amount: 1000, currency: 'GBP', reason: 'top-up', module: 'catering' });

    const granted = await env.tap(card, { via: till, purpose: 'till.purchase', target: 'Hall', payload: bytes(basket(['MEAL', 1, 250])) });
    expect(granted.body).to.include({ decision: 'granted', reason: 'ok', purpose: 'till.purchase' });
    expect(granted.body.display).to.include({ chargedPence: 250, balancePence: 750, dietary: 'vegetarian' });

    // The reader swaps in a cheaper basket after the card signed: the signature no longer covers it.
    const tampered = await env.tap(card, {
      via: till,
      purpose: 'till.purchase',
      target: 'Hall',
      payload: bytes(basket(['MEAL', 2, 250])),
      tamper: (answer) => ({ ...answer, payload: Buffer.from(bytes(basket(['MEAL', 1, 250]))).toString('base64') }),
    });
    expect(tampered.body.decision).to.equal('denied');
    expect(await balanceOf(db, pupil.purseAccountId)).to.equal(750);
    expect(await balanceOf(db, takingsAccountId)).to.equal(250);
  });

  it('pays a provider with card and PIN from the budget', async () => {
    const provider = await createProvider(db.knex, { name: `Tap path care ${Date.now()}`, categories: ['personal-care'] }, 'finance-1');
    const terminal = await env.newReader({ kind: 'terminal', module: 'budgets' });
    await putTerminal(db.knex, terminal.id, provider.id, 'finance-1');
    const card = await env.issue({ kind: 'care_recipient' });
    const today = localDate(env.clock.now(), 'Europe/London');
    const { budget } = await createBudget(
      db.knex,
      { recipient: card.cardholderId, periodStart: today, periodEnd: today, categories: ['personal-care'], amountPence: 5_000 },
      { staffId: 'finance-1', idempotencyKey: `tap-path-${card.cardholderId}`, now: env.clock.now(), thresholdPence: 1_000_000 },
    );
    const paid = await env.tap(card, { via: terminal, purpose: 'budget.spend', target: 'visit', payload: bytes({ amountPence: 1_250, category: 'personal-care' }) });
    expect(paid.body).to.include({ decision: 'granted', purpose: 'budget.spend', assurance: 'card+pin' });
    expect(await balanceOf(db, budget.accountId)).to.equal(3_750);
    expect(await balanceOf(db, provider.accountId)).to.equal(1_250);
  });
});
