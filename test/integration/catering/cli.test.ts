import { expect } from 'chai';
import { balanceOf, verifyLedger } from '../../../shared/ledger/index.js';
import { runTessera } from '../ledger/support/run-cli.js';
import { cliDatabase, type CliDatabase } from './support/cli-database.js';
import { cateringMigrations, pupilAt, schoolWithTill } from './support/catering-fixture.js';

describe('catering: tessera catering fsm-settle', function () {
  this.timeout(180_000);
  let cli: CliDatabase;

  before(async () => {
    cli = await cliDatabase(cateringMigrations);
  });
  after(async () => {
    if (cli) expect((await verifyLedger(cli.knex)).problems).to.deep.equal([]);
    await cli?.dispose();
  });

  it('credits the day’s allowance once however often it runs, and never goes back to an earlier day', async () => {
    const { school } = await schoolWithTill(cli.knex, { fsmAllowancePence: 250 });
    const pupil = await pupilAt(cli.knex, school.id, { fsmEligible: true });
    // Friday 20 November 2026 is a school day of the fixture's autumn term.
    const first = await cli.run(['catering', 'fsm-settle', '--date', '2026-11-20']);
    expect(first, first.stderr).to.include({ code: 0 });
    expect(first.stdout).to.match(/^Free school meals settled for 2026-11-20 \(Europe\/London\): 1 pupil\(s\)/);
    expect((await cli.run(['catering', 'fsm-settle', '--date', '2026-11-20'])).code).to.equal(0);
    expect(await balanceOf(cli.knex, pupil.fsmAccountId)).to.equal(250);
    // Settling Thursday after Friday would hold two days' allowance: the pupil is left alone.
    expect((await cli.run(['catering', 'fsm-settle', '--date', '2026-11-19'])).code).to.equal(0);
    expect(await balanceOf(cli.knex, pupil.fsmAccountId)).to.equal(250);
    const days = await cli.knex.raw('select school_day::text as day from catering_fsm_days where cardholder_id = ?', [pupil.cardholderId]);
    expect(days.rows).to.deep.equal([{ day: '2026-11-20' }]);
  });

  it('names the bad option and exits non-zero: not a date, a date after today', async () => {
    const bad = await runTessera(['catering', 'fsm-settle', '--date', '2026-02-30'], {});
    expect(bad.code).to.equal(1);
    expect(bad.stderr).to.contain("option '--date <YYYY-MM-DD>' argument '2026-02-30' is invalid");
    const future = await runTessera(['catering', 'fsm-settle', '--date', '2999-01-01'], { TESSERA_TIMEZONE: 'Europe/London' });
    expect(future.code).to.equal(1);
    expect(future.stderr).to.match(/^tessera: --date 2999-01-01 is after today \(\d{4}-\d{2}-\d{2} in Europe\/London\)/);
  });
});
