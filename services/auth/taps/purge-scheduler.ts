import type { AuditActor } from '../../../shared/audit/index.js';
import type { TimeOfDay } from '../../../shared/config/index.js';
import type { Database } from '../../../shared/db/index.js';
import type { Logger } from '../../../shared/logging/index.js';
import type { AuthMetrics } from '../auth-metrics.js';
import { countedPurge } from './counted-purge.js';
import { withPurgeLock } from './purge-lock.js';
import type { TapPurgeResult } from './purge-taps.js';
import { latestPurgeSlot, nextPurgeSlot } from './purge-time.js';

/** Who the audit log names for a scheduled purge (a person's purge names them instead). */
export const SCHEDULER_ACTOR: AuditActor = { kind: 'system', id: 'tap-purge-scheduler' };

/** A platform that was off at the purge time purges this long after it starts, once start-up is done. */
const CATCH_UP_DELAY_MS = 60_000;
/** The timer wakes at least this often, so a clock set forward or a suspended host is noticed. */
const MAX_SLEEP_MS = 3_600_000;

export type ScheduledPurge =
  | { readonly outcome: 'purged'; readonly slot: Date; readonly result: TapPurgeResult }
  /** This process has already dealt with the latest purge time. */
  | { readonly outcome: 'not-due'; readonly slot: Date }
  /** The audit log holds a scheduled purge since the latest purge time: another process ran it. */
  | { readonly outcome: 'done-elsewhere'; readonly slot: Date }
  /** Another purge holds the lock right now. */
  | { readonly outcome: 'busy'; readonly slot: Date }
  | { readonly outcome: 'failed'; readonly slot: Date; readonly error: Error };

export interface TapPurgeSchedulerOptions {
  readonly db: Database;
  /** Local time of day in `timeZone` (TESSERA_TAP_PURGE_AT). */
  readonly at: TimeOfDay;
  readonly timeZone: string;
  /** TESSERA_TAP_RETENTION_DAYS. */
  readonly retentionDays: number;
  readonly now: () => Date;
  readonly logger: Logger;
  readonly metrics: Pick<AuthMetrics, 'tapPurgeLastSuccess' | 'tapPurgeDeleted' | 'tapPurgeFailures'>;
}

/**
 * Runs the tap purge (purge-taps.ts) once a day at TESSERA_TAP_PURGE_AT, so retention needs no
 * cron and no stopped platform. Of several processes on one database, one purges each day: the
 * first takes the lock (purge-lock.ts); the others skip while it runs, and afterwards find its
 * audit event. A failure is logged and counted and waits for the next day's time; it never
 * reaches the process.
 */
export class TapPurgeScheduler {
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<ScheduledPurge> | undefined;
  /** The latest purge time this process has dealt with (ran, skipped or failed), in ms. */
  #handled: number | undefined;
  #stopped = false;

  constructor(private readonly options: TapPurgeSchedulerOptions) {}

  /** Checks once shortly after start (catching up a missed day), then at each purge time. */
  start(firstCheckInMs = CATCH_UP_DELAY_MS): void {
    this.#stopped = false;
    this.#arm(firstCheckInMs);
  }

  /** Purges now if the latest purge time has not been dealt with yet, by this or another process. */
  runOnce(): Promise<ScheduledPurge> {
    this.#running ??= this.#runDue().finally(() => (this.#running = undefined));
    return this.#running;
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    await this.#running;
  }

  #arm(delayMs: number): void {
    if (this.#stopped) return;
    this.#timer = setTimeout(() => void this.runOnce().then(() => this.#arm(this.#untilNextCheck())), delayMs);
    this.#timer.unref();
  }

  #untilNextCheck(): number {
    const { now, at, timeZone } = this.options;
    const current = now();
    return Math.min(Math.max(0, nextPurgeSlot(current, at, timeZone).getTime() - current.getTime()), MAX_SLEEP_MS);
  }

  async #runDue(): Promise<ScheduledPurge> {
    const { db, at, timeZone, retentionDays, logger, metrics } = this.options;
    const now = this.options.now();
    const slot = latestPurgeSlot(now, at, timeZone);
    if (this.#handled !== undefined && this.#handled >= slot.getTime()) return { outcome: 'not-due', slot };
    // Whatever happens next, this purge time is dealt with: a failure waits for the next one.
    this.#handled = slot.getTime();
    let counted = false;
    try {
      const locked = await withPurgeLock(db, async (): Promise<ScheduledPurge> => {
        if (await scheduledPurgeSince(db, slot)) return { outcome: 'done-elsewhere', slot };
        counted = true;
        const result = await countedPurge(db.knex, metrics, { olderThanDays: retentionDays, now, actor: SCHEDULER_ACTOR });
        return { outcome: 'purged', slot, result };
      });
      const done = locked.ran ? locked.value : ({ outcome: 'busy', slot } as const);
      if (done.outcome === 'purged') {
        const { cutoff, deleted, keptReferenced, batches } = done.result;
        logger.info({ cutoff: cutoff.toISOString(), deleted, keptReferenced, batches }, 'scheduled tap purge done');
      }
      return done;
    } catch (error) {
      // countedPurge counts a failure of the purge itself; one around it (the lock, the check) counts here.
      if (!counted) metrics.tapPurgeFailures.inc();
      logger.error({ err: (error as Error).message, slot: slot.toISOString() }, 'scheduled tap purge failed; it runs again at the next purge time');
      return { outcome: 'failed', slot, error: error as Error };
    }
  }
}

/** Whether a scheduled purge has been recorded since `slot`, by any process on this database. */
async function scheduledPurgeSince(db: Database, slot: Date): Promise<boolean> {
  const row = await db.knex('audit_events')
    .where({ action: 'taps.purge', actor_kind: SCHEDULER_ACTOR.kind, actor_id: SCHEDULER_ACTOR.id })
    .where('at', '>=', slot)
    .first('seq');
  return row !== undefined;
}
