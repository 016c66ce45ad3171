import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import { openAccount, transfer } from '../../../shared/ledger/index.js';
import { isTesseraError } from '../../../shared/errors/index.js';
import { purgeTaps, TAP_REFERENCES } from '../../../services/auth/taps/purge-taps.js';
import { migrationOptionsFor } from '../../../services/platform/app.js';
import { buildProgram } from '../../../services/platform/cli/program.js';
import { allServices } from '../../../services/platform/services.js';
import { createCliEnvironment, type CliEnvironment } from '../../support/cli-environment.js';
import { createTestDatabase, type TestDatabase } from '../../support/test-database.js';
import { pupilAt, schoolWithTill } from '../catering/support/catering-fixture.js';
import { insertDoorReader, insertTapRow } from './tap-rows.js';

const DAY = 86_400_000;
const now = new Date('2026-11-22T03:00:00Z');
const daysAgo = (days: number) => new Date(now.getTime() - days * DAY);
const actor = { kind: 'cli', id: 'retention-test' } as const;

class Exited extends Error {
  constructor(readonly code: number) {
    super(`process.exit(${code})`);
  }
}

/**
 * Runs `tessera <args>` in this process (as reader-cli.test.ts does), capturing what it prints.
 * process.exit is caught: commander exits on a bad option, configOrExit on a bad variable.
 */
async function runInProcess(args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  const saved = { env: { ...process.env }, out: process.stdout.write, err: process.stderr.write, exit: process.exit, exitCode: process.exitCode };
  let stdout = '';
  let stderr = '';
  let code: number | undefined;
  Object.assign(process.env, env);
  process.exitCode = 0;
  process.stdout.write = ((chunk: string) => ((stdout += chunk), true)) as typeof process.stdout.write;
  process.stderr.write = ((chunk: string) => ((stderr += chunk), true)) as typeof process.stderr.write;
  process.exit = ((exitCode?: number) => {
    throw new Exited(exitCode ?? 0);
  }) as typeof process.exit;
  try {
    await buildProgram().parseAsync(['node', 'tessera', ...args]);
    code = Number(process.exitCode ?? 0);
  } catch (error) {
    if (!(error instanceof Exited)) throw error;
    code = error.code;
  } finally {
    process.stdout.write = saved.out;
    process.stderr.write = saved.err;
    process.exit = saved.exit;
    process.exitCode = saved.exitCode;
    for (const key of Object.keys(env)) delete process.env[key];
    Object.assign(process.env, saved.env);
  }
  return { code, stdout, stderr };
}

describe('auth: tap retention (tessera taps purge)', function () {
  this.timeout(120_000);
  let db: TestDatabase;
  let readerId: string;

  before(async () => {
    db = await createTestDatabase({ migrations: migrationOptionsFor(allServices()) });
    readerId = await insertDoorReader(db.knex, 'retention', now);
  });
  after(() => db?.dispose());
  beforeEach(async () => {
    // Ledger rows are append-only (triggers) and stay; the taps they named go with the rest, so
    // each test starts with no tap and no reference to one.
    await db.knex('taps').del();
  });

  /** A tap created at `created`; answered unless `open`, its challenge expiring 30 s later unless told. */
  const tap = (created: Date, options: { open?: boolean; expires?: Date } = {}) => insertTapRow(db.knex, readerId, created, options);

  async function remaining(): Promise<Set<string>> {
    return new Set((await db.knex('taps').select('id')).map((r: { id: string }) => r.id));
  }

  async function purgeEvents(): Promise<Record<string, unknown>[]> {
    const rows = await db.knex('audit_events').where({ action: 'taps.purge' }).orderBy('seq').select('actor_kind', 'actor_id', 'details');
    return rows.map((r: { actor_kind: string; actor_id: string; details: unknown }) => ({
      actor: `${r.actor_kind}:${r.actor_id}`,
      ...((typeof r.details === 'string' ? JSON.parse(r.details) : r.details) as Record<string, unknown>),
    }));
  }

  async function paidFor(tapId: string, at: Date): Promise<void> {
    const funding = await openAccount(db, { kind: 'funding' });
    const purse = await openAccount(db, { kind: 'purse' });
    await transfer(db, { idempotencyKey: randomUUID(), debitAccountId: funding.id, creditAccountId: purse.id, amount: 250, currency: 'GBP', reason: 'lunch', module: 'catering', tapId }, { now: () => at });
  }

  it('deletes old taps in batches, keeps young ones, and writes one audit event with the cutoff and count', async () => {
    const old = [await tap(daysAgo(500)), await tap(daysAgo(401)), await tap(daysAgo(450)), await tap(daysAgo(700)), await tap(daysAgo(420), { open: true })];
    const young = [await tap(daysAgo(399)), await tap(daysAgo(10)), await tap(now)];
    const before = (await purgeEvents()).length;

    const result = await purgeTaps(db.knex, { olderThanDays: 400, now, batchSize: 2, actor });

    expect(result.cutoff.toISOString()).to.equal(daysAgo(400).toISOString());
    expect(result).to.include({ deleted: old.length, keptReferenced: 0, dryRun: false });
    expect(result.batches, 'five rows at two a batch').to.equal(3);
    const left = await remaining();
    for (const id of old) expect(left.has(id), `old tap ${id}`).to.equal(false);
    for (const id of young) expect(left.has(id), `young tap ${id}`).to.equal(true);
    const events = await purgeEvents();
    expect(events).to.have.length(before + 1);
    expect(events.at(-1)).to.deep.equal({
      actor: 'cli:retention-test',
      cutoff: daysAgo(400).toISOString(),
      olderThanDays: 400,
      deleted: 5,
      keptReferenced: 0,
      batches: 3,
      completed: true,
    });
  });

  it('keeps an old tap that a ledger transfer names, however old', async () => {
    const paid = await tap(daysAgo(600));
    await paidFor(paid, daysAgo(600));
    const unpaid = await tap(daysAgo(600));

    const result = await purgeTaps(db.knex, { olderThanDays: 400, now, batchSize: 1, actor });

    expect(result).to.include({ deleted: 1, keptReferenced: 1 });
    const left = await remaining();
    expect(left.has(paid)).to.equal(true);
    expect(left.has(unpaid)).to.equal(false);
  });

  it('keeps an old tap that a catering sale names, even a 0p sale that moved no money', async () => {
    const sold = await tap(daysAgo(500));
    const { school, till } = await schoolWithTill(db.knex);
    const pupil = await pupilAt(db.knex, school.id);
    await db.knex('catering_sales').insert({
      id: randomUUID(),
      tap_id: sold,
      cardholder_id: pupil.cardholderId,
      school_id: school.id,
      till_reader_id: till.readerId,
      school_day: '2025-07-10',
      total_pence: 0,
      fsm_pence: 0,
      cash_pence: 0,
      basket: JSON.stringify({ items: [], totalPence: 0 }),
      created_at: daysAgo(500),
    });

    const result = await purgeTaps(db.knex, { olderThanDays: 400, now, actor });

    expect(result).to.include({ deleted: 0, keptReferenced: 1 });
    expect((await remaining()).has(sold)).to.equal(true);
  });

  it('never deletes a challenge that has not expired yet, however old its row claims to be', async () => {
    const open = await tap(daysAgo(500), { open: true, expires: new Date(now.getTime() + 60_000) });
    const result = await purgeTaps(db.knex, { olderThanDays: 400, now, actor });
    expect(result.deleted).to.equal(0);
    expect((await remaining()).has(open)).to.equal(true);
  });

  it('with dryRun counts what would go, deletes nothing and writes no audit event', async () => {
    const ids = [await tap(daysAgo(500)), await tap(daysAgo(500)), await tap(daysAgo(5))];
    const paid = await tap(daysAgo(500));
    await paidFor(paid, daysAgo(500));
    const before = (await purgeEvents()).length;

    const result = await purgeTaps(db.knex, { olderThanDays: 400, now, dryRun: true, batchSize: 1, actor });

    expect(result).to.include({ deleted: 2, keptReferenced: 1, batches: 0, dryRun: true });
    expect([...(await remaining())].sort()).to.deep.equal([...ids, paid].sort());
    expect(await purgeEvents()).to.have.length(before);
  });

  it('refuses a retention under 30 days', async () => {
    const id = await tap(daysAgo(500));
    let caught: unknown;
    try {
      await purgeTaps(db.knex, { olderThanDays: 29, now, actor });
    } catch (error) {
      caught = error;
    }
    expect(isTesseraError(caught) && caught.code).to.equal('ERR_VALIDATION');
    expect((await remaining()).has(id)).to.equal(true);
  });

  it('protects every tap_id column in the schema (a new table naming taps must join TAP_REFERENCES)', async () => {
    const { rows } = (await db.knex.raw(
      `select table_name from information_schema.columns where table_schema = current_schema() and column_name = 'tap_id' order by table_name`,
    )) as { rows: { table_name: string }[] };
    const inSchema = rows.map((r) => r.table_name);
    expect(inSchema, 'the schema holds the tables this test expects').to.include.members(['ledger_transfers', 'catering_sales', 'budget_spends']);
    expect(TAP_REFERENCES.map((r) => r.table).sort()).to.deep.equal([...inSchema].sort());
  });

  describe('the command', () => {
    let env: Record<string, string>;
    let cli: CliEnvironment | undefined;

    before(async () => {
      cli = await createCliEnvironment('tessera-taps-cli-');
      env = cli.env;
    });
    after(() => cli?.dispose());

    it('refuses --older-than under 30, naming the flag', async () => {
      const run = await runInProcess(['taps', 'purge', '--older-than', '7'], env);
      expect(run.code).to.equal(1);
      expect(run.stderr).to.contain('--older-than').and.to.contain('at least 30');
      expect(run.stdout).to.equal('');
    });

    it('refuses a TESSERA_TAP_RETENTION_DAYS under 30, naming the variable', async () => {
      const run = await runInProcess(['taps', 'purge'], { ...env, TESSERA_TAP_RETENTION_DAYS: '7' });
      expect(run.code).to.equal(78);
      expect(run.stderr).to.match(/TESSERA_TAP_RETENTION_DAYS: expected .*30/);
    });

    it('prints the count and the cutoff, with --dry-run and without', async () => {
      const dry = await runInProcess(['taps', 'purge', '--dry-run'], env);
      expect(dry.code, dry.stderr).to.equal(0);
      expect(dry.stdout).to.match(/^Dry run: would delete 0 tap\(s\) created before \d{4}-\d{2}-\d{2}T[\d:.]+Z \(older than 400 days\).*Nothing deleted\.$/m);
      const real = await runInProcess(['taps', 'purge', '--older-than', '30'], env);
      expect(real.code, real.stderr).to.equal(0);
      expect(real.stdout).to.match(/^Deleted 0 tap\(s\) created before \d{4}-\d{2}-\d{2}T[\d:.]+Z \(older than 30 days\).*in 1 batch\(es\)/m);
    });
  });
});
