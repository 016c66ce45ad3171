import type { Knex } from 'knex';
import { appendAudit, type AuditActor } from '../../../shared/audit/index.js';
import { TesseraError } from '../../../shared/errors/index.js';

/** The fewest days of taps a purge keeps, so a slip of the keyboard cannot wipe last month's evidence. */
export const MIN_TAP_RETENTION_DAYS = 30;

/** Rows deleted per statement: each batch commits on its own, so no purge holds one huge transaction. */
export const TAP_PURGE_BATCH_ROWS = 10_000;

const DAY_MS = 86_400_000;

/**
 * Columns that name a tap as the evidence of a money movement or a sale. A tap named here is
 * kept however old it is: a statement line, a refund or an audit of the ledger must still find
 * the tap that paid. Auth imports no module, so the list is kept by hand; a test checks that
 * every tap_id column in the schema is on it. Tables a deployment has not migrated are skipped.
 */
export const TAP_REFERENCES: readonly { readonly table: string; readonly column: string }[] = [
  { table: 'ledger_transfers', column: 'tap_id' },
  { table: 'catering_sales', column: 'tap_id' },
  { table: 'budget_spends', column: 'tap_id' },
];

export interface TapPurgeOptions {
  /** Taps created more than this many days before `now` go (at least MIN_TAP_RETENTION_DAYS). */
  readonly olderThanDays: number;
  readonly now: Date;
  /** Count what would go and keep everything; writes no audit event. */
  readonly dryRun?: boolean;
  readonly batchSize?: number;
  readonly actor: AuditActor;
}

export interface TapPurgeResult {
  /** Taps created before this instant were eligible. */
  readonly cutoff: Date;
  /** Deleted, or with dryRun, that would be deleted. */
  readonly deleted: number;
  /** Taps older than the cutoff kept because a money movement or sale names them. */
  readonly keptReferenced: number;
  readonly batches: number;
  readonly dryRun: boolean;
}

/**
 * Deletes tap records past their retention (UK GDPR storage limitation), in batches of
 * `batchSize` rows, one statement and so one transaction each. Writes one `taps.purge` audit
 * event with the cutoff and the count, also when a batch fails part-way (then with
 * `completed: false`), so the log says what went.
 */
export async function purgeTaps(knex: Knex, options: TapPurgeOptions): Promise<TapPurgeResult> {
  const { olderThanDays, now, actor } = options;
  const batchSize = options.batchSize ?? TAP_PURGE_BATCH_ROWS;
  const dryRun = options.dryRun ?? false;
  if (!Number.isSafeInteger(olderThanDays) || olderThanDays < MIN_TAP_RETENTION_DAYS) {
    throw new TesseraError('ERR_VALIDATION', `olderThanDays must be a whole number of days, at least ${MIN_TAP_RETENTION_DAYS}`, { field: 'olderThanDays' });
  }
  if (!Number.isSafeInteger(batchSize) || batchSize < 1) throw new TesseraError('ERR_VALIDATION', 'batchSize must be a positive whole number', { field: 'batchSize' });
  const cutoff = new Date(now.getTime() - olderThanDays * DAY_MS);
  const purgeable = await purgeableCondition(knex);
  // An unanswered challenge is never deleted before it expires: the expires_at test says so
  // even though, past 30 days, no challenge is still open (they live at most 600 seconds).
  const bindings = [cutoff, now];

  if (dryRun) {
    const deleted = await count(knex, `select count(*) as n from taps t where ${purgeable}`, bindings);
    const older = await count(knex, 'select count(*) as n from taps where created_at < ?', [cutoff]);
    return { cutoff, deleted, keptReferenced: older - deleted, batches: 0, dryRun };
  }

  let deleted = 0;
  let batches = 0;
  const record = async (completed: boolean) => {
    const keptReferenced = await count(knex, 'select count(*) as n from taps where created_at < ?', [cutoff]);
    await knex.transaction((trx) =>
      appendAudit(trx, {
        actor,
        action: 'taps.purge',
        at: now,
        details: { cutoff: cutoff.toISOString(), olderThanDays, deleted, keptReferenced, batches, completed },
      }),
    );
    return keptReferenced;
  };
  try {
    for (;;) {
      // Alone, one statement is its own transaction: each batch commits, and frees its locks, at once.
      const result = (await knex.raw(`delete from taps where id in (select t.id from taps t where ${purgeable} limit ?)`, [...bindings, batchSize])) as {
        rowCount?: number;
        affectedRows?: number;
      };
      const n = result.rowCount ?? result.affectedRows ?? 0;
      deleted += n;
      batches += 1;
      if (n < batchSize) break;
    }
  } catch (error) {
    await record(false);
    throw error;
  }
  const keptReferenced = await record(true);
  return { cutoff, deleted, keptReferenced, batches, dryRun };
}

/** The WHERE clause of a purgeable tap `t`, bound to [cutoff, now]: old, expired and named by no money movement. */
async function purgeableCondition(knex: Knex): Promise<string> {
  const present = [];
  for (const reference of TAP_REFERENCES) {
    const { rows } = (await knex.raw('select to_regclass(?) is not null as present', [reference.table])) as { rows: { present: boolean }[] };
    if (rows[0]?.present) present.push(reference);
  }
  // tap_id is text (the ledger names taps of any origin); taps.id is uuid, lower-case as text.
  const unreferenced = present.map(({ table, column }) => `not exists (select 1 from "${table}" r where r."${column}" = t.id::text)`);
  return ['t.created_at < ?', 't.expires_at < ?', ...unreferenced].join(' and ');
}

async function count(knex: Knex, sql: string, bindings: readonly Knex.RawBinding[]): Promise<number> {
  const { rows } = (await knex.raw(sql, bindings as Knex.RawBinding[])) as { rows: { n: string | number }[] };
  return Number(rows[0]?.n ?? 0);
}
