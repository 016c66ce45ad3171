import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import { listAuditEvents } from '../../../shared/audit/index.js';
import { balanceOf, verifyLedger } from '../../../shared/ledger/index.js';
import { fundingAccountId, getBudget } from '../../../services/modules/budgets/budget-store.js';
import { createBudget } from '../../../services/modules/budgets/single-loads.js';
import { addCardholder } from '../catering/support/module-harness.js';
import { cliDatabase, type CliDatabase } from '../catering/support/cli-database.js';
import { runTessera } from '../ledger/support/run-cli.js';
import { budgetsMigrations } from './support/budgets-fixture.js';

describe('budgets: tessera budgets clawback', function () {
  this.timeout(180_000);
  let cli: CliDatabase;

  before(async () => {
    cli = await cliDatabase(budgetsMigrations);
  });
  after(async () => {
    if (cli) expect((await verifyLedger(cli.knex)).problems).to.deep.equal([]);
    await cli?.dispose();
  });

  const budgetFor = async (periodStart: string, periodEnd: string, amountPence: number) => {
    const recipient = await addCardholder(cli.knex, 'care_recipient');
    const { budget } = await createBudget(
      cli.knex,
      { recipient: recipient.reference, periodStart, periodEnd, categories: ['personal-care'], amountPence },
      { staffId: 'finance-1', idempotencyKey: `cli-${recipient.id}`, now: new Date('2026-09-01T10:00:00Z'), thresholdPence: 10_000_000 },
    );
    return budget;
  };

  it('claws back every ended budget into the funding account, audited as the operator, and is safe to run twice', async () => {
    const ended = await budgetFor('2026-09-01', '2026-09-28', 40_000);
    const running = await budgetFor('2026-11-01', '2099-12-31', 10_000);
    const funding = await balanceOf(cli.knex, await fundingAccountId(cli.knex));
    const result = await cli.run(['budgets', 'clawback']);
    expect(result, result.stderr).to.include({ code: 0 });
    expect(result.stdout).to.equal('Clawed back 1 ended budget(s): 40000 pence went back to the funding account.\n');
    expect(await getBudget(cli.knex, ended.id)).to.include({ status: 'closed', clawbackPence: 40_000 });
    expect(await getBudget(cli.knex, running.id)).to.include({ status: 'open' });
    expect(await balanceOf(cli.knex, await fundingAccountId(cli.knex))).to.equal(funding + 40_000);
    const audit = await listAuditEvents(cli.knex, { action: 'budget.clawback', limit: 10 });
    expect(audit.events.map((e) => [e.actor.kind, e.subject?.id])).to.deep.equal([['cli', ended.id]]);
    const again = await cli.run(['budgets', 'clawback']);
    expect(again.stdout).to.equal('Clawed back 0 ended budget(s): 0 pence went back to the funding account.\n');
  });

  it('claws back one budget with --budget, refuses one whose period runs (exit 1, saying until when) and an unknown one', async () => {
    const ended = await budgetFor('2026-10-01', '2026-10-28', 2_500);
    const one = await cli.run(['budgets', 'clawback', '--budget', ended.id]);
    expect(one, one.stderr).to.include({ code: 0 });
    expect(one.stdout).to.equal(`Budget ${ended.id} (2026-10-01..2026-10-28) is closed: 2500 pence went back to the funding account.\n`);
    const running = await budgetFor('2026-11-01', '2098-12-31', 1_000);
    const early = await cli.run(['budgets', 'clawback', '--budget', running.id]);
    expect(early.code).to.equal(1);
    expect(early.stderr).to.equal('tessera: The period runs until 2098-12-31\n');
    expect(await getBudget(cli.knex, running.id)).to.include({ status: 'open' });
    const unknown = await cli.run(['budgets', 'clawback', '--budget', randomUUID()]);
    expect(unknown.code).to.equal(1);
    expect(unknown.stderr).to.match(/^tessera: No budget /);
  });

  it('names the bad option and exits non-zero', async () => {
    const bad = await runTessera(['budgets', 'clawback', '--budget', 'last-month'], {});
    expect(bad.code).to.equal(1);
    expect(bad.stderr).to.contain("option '--budget <id>' argument 'last-month' is invalid. expected a budget id (a UUID).");
  });
});
