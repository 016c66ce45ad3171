import { expect } from 'chai';
import { Writable } from 'node:stream';
import { Registry } from 'prom-client';
import { openDatabase, type Database } from '../../../shared/db/index.js';
import { createLogger } from '../../../shared/logging/index.js';
import { authService } from '../../../services/auth/index.js';
import { authMetrics, type AuthMetrics } from '../../../services/auth/auth-metrics.js';
import { TapPurgeScheduler, type ScheduledPurge } from '../../../services/auth/taps/purge-scheduler.js';
import { migrationOptionsFor } from '../../../services/platform/app.js';
import { allServices } from '../../../services/platform/services.js';
import { createTestDatabase, onPostgres, type TestDatabase } from '../../support/test-database.js';
import { startTestPlatform } from '../../support/test-platform.js';
import { insertDoorReader, insertTapRow } from './tap-rows.js';

const DAY = 86_400_000;
/** 03:30 in London in November (GMT): the default purge time. */
const firstSlot = new Date('2026-11-22T03:30:00Z');
const at = { hour: 3, minute: 30 };

/** A clock the test sets by hand. */
class SetClock {
  constructor(public t: Date) {}
  readonly now = () => new Date(this.t.getTime());
}

/** Log lines as objects, to see what the scheduler said. */
function capturingLogger() {
  const lines: { level: number; msg: string; err?: string }[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()) as (typeof lines)[number]);
      done();
    },
  });
  return { logger: createLogger('info', sink), lines };
}

async function metricValue(registry: Registry, name: string): Promise<number> {
  const metric = (await registry.getMetricsAsJSON()).find((m) => m.name === name);
  return Number((metric?.values[0] as { value?: number } | undefined)?.value ?? 0);
}

describe(`auth: the daily tap purge (${onPostgres ? 'PostgreSQL' : 'PGlite'})`, function () {
  this.timeout(120_000);
  let db: TestDatabase;
  let readerId: string;

  before(async () => {
    db = await createTestDatabase({ migrations: migrationOptionsFor(allServices()) });
    readerId = await insertDoorReader(db.knex, 'purge-schedule', firstSlot);
  });
  after(() => db?.dispose());

  const tap = (created: Date) => insertTapRow(db.knex, readerId, created);

  async function exists(id: string): Promise<boolean> {
    return (await db.knex('taps').where({ id }).first('id')) !== undefined;
  }

  /** The scheduler's taps.purge events written at or after `since`. */
  async function scheduledEvents(since: Date): Promise<{ actor: string; details: Record<string, unknown> }[]> {
    const rows = (await db.knex('audit_events').where({ action: 'taps.purge' }).where('at', '>=', since).orderBy('seq').select('actor_kind', 'actor_id', 'details')) as {
      actor_kind: string;
      actor_id: string;
      details: unknown;
    }[];
    return rows.map((r) => ({ actor: `${r.actor_kind}:${r.actor_id}`, details: (typeof r.details === 'string' ? JSON.parse(r.details) : r.details) as Record<string, unknown> }));
  }

  function scheduler(options: { clock: SetClock; database?: Database; metrics?: AuthMetrics; logger?: ReturnType<typeof createLogger> }) {
    return new TapPurgeScheduler({
      db: options.database ?? db,
      at,
      timeZone: 'Europe/London',
      retentionDays: 400,
      now: options.clock.now,
      logger: options.logger ?? createLogger('silent'),
      metrics: options.metrics ?? authMetrics(new Registry()),
    });
  }

  it('purges once the day\'s time has come, names the scheduler in the audit log, and waits for the next day', async () => {
    const registry = new Registry();
    const clock = new SetClock(firstSlot);
    const purge = scheduler({ clock, metrics: authMetrics(registry) });
    const old = await tap(new Date(firstSlot.getTime() - 500 * DAY));
    const young = await tap(new Date(firstSlot.getTime() - 10 * DAY));

    const first = await purge.runOnce();

    expect(first.outcome).to.equal('purged');
    expect(first.slot.toISOString()).to.equal(firstSlot.toISOString());
    expect(await exists(old)).to.equal(false);
    expect(await exists(young)).to.equal(true);
    const events = await scheduledEvents(firstSlot);
    expect(events).to.have.length(1);
    expect(events[0]!.actor).to.equal('system:tap-purge-scheduler');
    expect(events[0]!.details).to.include({ olderThanDays: 400, deleted: 1, completed: true });
    expect(await metricValue(registry, 'tessera_tap_purge_deleted_total')).to.equal(1);
    expect(await metricValue(registry, 'tessera_tap_purge_last_success_timestamp_seconds')).to.equal(firstSlot.getTime() / 1000);
    expect(await metricValue(registry, 'tessera_tap_purge_failures_total')).to.equal(0);

    // Later the same day, and the next day just before the time: nothing is due.
    clock.t = new Date(firstSlot.getTime() + 6 * 3_600_000);
    expect((await purge.runOnce()).outcome).to.equal('not-due');
    clock.t = new Date(firstSlot.getTime() + DAY - 60_000);
    expect((await purge.runOnce()).outcome).to.equal('not-due');
    expect(await scheduledEvents(firstSlot)).to.have.length(1);

    // The next day's time: it purges again (a tap that has since aged past the cutoff goes).
    const aging = await tap(new Date(firstSlot.getTime() - 400 * DAY + 1000));
    clock.t = new Date(firstSlot.getTime() + DAY);
    const next = await purge.runOnce();
    expect(next.outcome).to.equal('purged');
    expect(await exists(aging)).to.equal(false);
    expect(await scheduledEvents(firstSlot)).to.have.length(2);
  });

  it('skips a day another process has purged already (it finds that purge in the audit log)', async () => {
    const slot = new Date(firstSlot.getTime() + 10 * DAY);
    await scheduler({ clock: new SetClock(slot) }).runOnce();
    const other = scheduler({ clock: new SetClock(new Date(slot.getTime() + 15 * 60_000)) });

    const outcome = await other.runOnce();

    expect(outcome.outcome).to.equal('done-elsewhere');
    expect(await scheduledEvents(slot)).to.have.length(1);
  });

  it('catches up a day whose time passed while the platform was off', async () => {
    const slot = new Date(firstSlot.getTime() + 20 * DAY);
    const startedLater = scheduler({ clock: new SetClock(new Date(slot.getTime() + 9 * 3_600_000)) });
    const outcome = await startedLater.runOnce();
    expect(outcome.outcome).to.equal('purged');
    expect(outcome.slot.toISOString()).to.equal(slot.toISOString());
  });

  it('two schedulers racing on one database write exactly one purge event a day', async () => {
    // Two processes: on PostgreSQL two connection pools (the advisory lock decides), on PGlite
    // the one handle its single process has.
    const second = onPostgres ? openDatabase({ databaseUrl: db.url!, poolMax: 4 }) : db;
    try {
      for (let day = 30; day < 35; day++) {
        const slot = new Date(firstSlot.getTime() + day * DAY);
        for (let i = 0; i < 3; i++) await tap(new Date(slot.getTime() - 500 * DAY - i * 1000));
        const clock = new SetClock(slot);
        const [a, b] = await Promise.all([scheduler({ clock }).runOnce(), scheduler({ clock, database: second }).runOnce()]);

        const outcomes = [a.outcome, b.outcome].sort();
        expect(outcomes.filter((o) => o === 'purged'), `day ${day}: ${outcomes.join(', ')}`).to.have.length(1);
        expect(outcomes.filter((o) => o !== 'purged')[0]).to.be.oneOf(['busy', 'done-elsewhere']);
        const events = await scheduledEvents(slot);
        expect(events, `day ${day}`).to.have.length(1);
        expect(events[0]!.details).to.include({ deleted: 3 });
      }
    } finally {
      if (second !== db) await second.close();
    }
  });

  it('logs and counts a failure without throwing, and tries again at the next day\'s time', async () => {
    const registry = new Registry();
    const { logger, lines } = capturingLogger();
    let failNext = true;
    // The database refuses the scheduler's first query, as a dropped connection would.
    const flaky: Database = {
      ...db,
      knex: new Proxy(db.knex, {
        apply(target, self, args) {
          if (failNext) {
            failNext = false;
            throw new Error('connection terminated unexpectedly');
          }
          return Reflect.apply(target, self, args) as unknown;
        },
      }),
    };
    const slot = new Date(firstSlot.getTime() + 40 * DAY);
    const clock = new SetClock(slot);
    const purge = scheduler({ clock, database: flaky, metrics: authMetrics(registry), logger });
    const old = await tap(new Date(slot.getTime() - 500 * DAY));

    const failed: ScheduledPurge = await purge.runOnce();

    expect(failed.outcome).to.equal('failed');
    expect(await metricValue(registry, 'tessera_tap_purge_failures_total')).to.equal(1);
    const logged = lines.find((l) => l.msg.startsWith('scheduled tap purge failed'));
    expect(logged, 'an error line').to.include({ level: 50, err: 'connection terminated unexpectedly' });
    expect(await exists(old)).to.equal(true);
    // Not again the same day: the next try is the next purge time.
    clock.t = new Date(slot.getTime() + 3_600_000);
    expect((await purge.runOnce()).outcome).to.equal('not-due');
    clock.t = new Date(slot.getTime() + DAY);
    expect((await purge.runOnce()).outcome).to.equal('purged');
    expect(await exists(old)).to.equal(false);
    expect(await metricValue(registry, 'tessera_tap_purge_failures_total')).to.equal(1);
  });

  it('runs on its own timer once started, and stop() ends it', async () => {
    const slot = new Date(firstSlot.getTime() + 50 * DAY);
    const old = await tap(new Date(slot.getTime() - 500 * DAY));
    const purge = scheduler({ clock: new SetClock(new Date(slot.getTime() + 60_000)) });
    purge.start(0);
    try {
      // Wait for the timer's purge (bounded by the test timeout), not for a time.
      while (await exists(old)) await new Promise((resolve) => setTimeout(resolve, 50));
    } finally {
      await purge.stop();
    }
    expect(await scheduledEvents(slot)).to.have.length(1);
  });

  it('is part of the auth service when TESSERA_TAP_PURGE_AT names a time, and absent when it is off', async () => {
    for (const [tapPurgeAt, expected] of [[at, true], ['off', false]] as const) {
      const auth = authService({ modules: [] });
      const platform = await startTestPlatform({ db, services: [auth], config: { tapPurgeAt } });
      try {
        expect(auth.runtime().tapPurge !== undefined, JSON.stringify(tapPurgeAt)).to.equal(expected);
      } finally {
        await platform.close();
        await auth.close?.();
      }
    }
  });
});
