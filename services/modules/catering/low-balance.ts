import type { Knex } from 'knex';
import { pence, type Pupil, type School } from './catering-store.js';

/**
 * Low-balance alerts: when a purchase takes the parents' purse below the pupil's threshold (or
 * the school's default), one alert is recorded for the parental top-up side to poll. It stays
 * open until the purse is seen at or above the threshold again (a top-up, a refund), so a run
 * of small purchases below the line raises one alert, and the next crossing raises the next.
 * The partial unique index on open alerts is the database's guarantee of "one per crossing".
 */
export interface BalanceAlert {
  readonly id: number;
  readonly cardholderId: string;
  readonly schoolId: string;
  readonly saleId: string;
  readonly thresholdPence: number;
  readonly balancePence: number;
  readonly createdAt: string;
  readonly resolvedAt: string | null;
}

export function thresholdOf(pupil: Pupil, school: School): number | null {
  return pupil.lowBalanceThresholdPence ?? school.lowBalanceThresholdPence;
}

/**
 * Called inside the sale's transaction (the pupil's row is locked) with the purse balance before
 * and after the sale. The balance before tells whether the purse was back above the line since the
 * open alert (a top-up whose own check raced the alert's insert is caught here).
 */
export async function noteSale(
  trx: Knex.Transaction,
  pupil: Pupil,
  school: School,
  sale: { readonly id: string; readonly cashPence: number; readonly balanceBefore: number; readonly balanceAfter: number; readonly at: Date },
): Promise<void> {
  const threshold = thresholdOf(pupil, school);
  if (threshold === null || sale.balanceBefore >= threshold) await resolveOpenAlert(trx, pupil.cardholderId, sale.at);
  if (threshold === null || sale.cashPence === 0 || sale.balanceAfter >= threshold) return;
  await trx.raw(
    `insert into catering_balance_alerts (cardholder_id, school_id, sale_id, threshold_pence, balance_pence, created_at)
     values (?, ?, ?, ?, ?, ?)
     on conflict (cardholder_id) where resolved_at is null do nothing`,
    [pupil.cardholderId, school.id, sale.id, threshold, sale.balanceAfter, sale.at],
  );
}

/** After a top-up: the purse is back at or above the threshold, so the open alert (if any) is over. */
export async function noteTopUp(db: Knex, pupil: Pupil, school: School, balanceAfter: number, at: Date): Promise<void> {
  const threshold = thresholdOf(pupil, school);
  if (threshold === null || balanceAfter >= threshold) await resolveOpenAlert(db, pupil.cardholderId, at);
}

async function resolveOpenAlert(db: Knex, cardholderId: string, at: Date): Promise<void> {
  await db('catering_balance_alerts').where({ cardholder_id: cardholderId }).whereNull('resolved_at').update({ resolved_at: at });
}

export interface AlertQuery {
  readonly cardholderId?: string | undefined;
  readonly schoolId?: string | undefined;
  /** Only alerts with a larger id: a poller passes the last id it saw. */
  readonly after?: number | undefined;
  readonly open?: boolean | undefined;
  readonly limit: number;
}

export async function listAlerts(db: Knex, query: AlertQuery): Promise<{ alerts: BalanceAlert[]; next: number | null }> {
  const q = db('catering_balance_alerts').orderBy('id').limit(query.limit);
  if (query.cardholderId !== undefined) q.where({ cardholder_id: query.cardholderId.toLowerCase() });
  if (query.schoolId !== undefined) q.where({ school_id: query.schoolId.toLowerCase() });
  if (query.after !== undefined) q.where('id', '>', query.after);
  if (query.open === true) q.whereNull('resolved_at');
  if (query.open === false) q.whereNotNull('resolved_at');
  const alerts = ((await q) as Record<string, unknown>[]).map(alertOf);
  // The cursor for the next poll: the last id seen, or the caller's own when nothing is new.
  return { alerts, next: alerts.at(-1)?.id ?? query.after ?? null };
}

function alertOf(row: Record<string, unknown>): BalanceAlert {
  return {
    id: Number(row.id),
    cardholderId: String(row.cardholder_id),
    schoolId: String(row.school_id),
    saleId: String(row.sale_id),
    thresholdPence: pence(row.threshold_pence),
    balancePence: pence(row.balance_pence),
    createdAt: new Date(row.created_at as string).toISOString(),
    resolvedAt: row.resolved_at ? new Date(row.resolved_at as string).toISOString() : null,
  };
}
