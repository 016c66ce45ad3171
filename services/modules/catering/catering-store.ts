import type { Knex } from 'knex';
import { TesseraError } from '../../../shared/errors/index.js';
import type { PricedItem } from './basket.js';

/** Reads of the catering tables, with pg's strings turned into numbers (bigint comes back as text). */
export interface School {
  readonly id: string;
  readonly name: string;
  readonly pinPolicy: 'card' | 'card+pin';
  readonly fsmAllowancePence: number;
  readonly defaultDailyLimitPence: number | null;
  /** Parents are alerted when a purchase takes the purse below this (the pupil's own threshold wins). */
  readonly lowBalanceThresholdPence: number | null;
  readonly topupAccountId: string;
  readonly fsmAccountId: string;
}

export interface Till {
  readonly readerId: string;
  readonly schoolId: string;
  readonly name: string;
  readonly takingsAccountId: string;
}

export interface Pupil {
  readonly cardholderId: string;
  readonly schoolId: string;
  readonly dailyLimitPence: number | null;
  /** null: the school's threshold applies. */
  readonly lowBalanceThresholdPence: number | null;
  readonly allergens: readonly string[];
  readonly dietary: readonly string[];
  readonly fsmEligible: boolean;
  readonly purseAccountId: string;
  readonly fsmAccountId: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function pence(value: unknown): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n)) throw new Error(`not a whole number of pence: ${String(value)}`);
  return n;
}

export function nullablePence(value: unknown): number | null {
  return value === null || value === undefined ? null : pence(value);
}

export async function findSchool(db: Knex, id: string): Promise<School | undefined> {
  if (!UUID.test(id)) return undefined;
  const row = await db('catering_schools').where({ id }).first();
  return row ? schoolOf(row) : undefined;
}

export async function getSchool(db: Knex, id: string): Promise<School> {
  const school = await findSchool(db, id);
  if (!school) throw new TesseraError('ERR_CATERING_SCHOOL_NOT_FOUND', `No school ${id}`, { schoolId: id });
  return school;
}

export function schoolOf(row: Record<string, unknown>): School {
  return {
    id: String(row.id),
    name: String(row.name),
    pinPolicy: row.pin_policy as School['pinPolicy'],
    fsmAllowancePence: pence(row.fsm_allowance_pence),
    defaultDailyLimitPence: nullablePence(row.default_daily_limit_pence),
    lowBalanceThresholdPence: nullablePence(row.low_balance_threshold_pence),
    topupAccountId: String(row.topup_account_id),
    fsmAccountId: String(row.fsm_account_id),
  };
}

export async function findTill(db: Knex, readerId: string): Promise<Till | undefined> {
  const row = await db('catering_tills').where({ reader_id: readerId }).first();
  return row ? { readerId: row.reader_id, schoolId: row.school_id, name: row.name, takingsAccountId: row.takings_account_id } : undefined;
}

export async function findPupil(db: Knex, cardholderId: string, options: { lock?: boolean } = {}): Promise<Pupil | undefined> {
  if (!UUID.test(cardholderId)) return undefined;
  const query = db('catering_pupils').where({ cardholder_id: cardholderId.toLowerCase() }).first();
  const row = options.lock ? await query.forUpdate() : await query;
  return row ? pupilOf(row) : undefined;
}

export async function getPupil(db: Knex, cardholderId: string, options: { lock?: boolean } = {}): Promise<Pupil> {
  const pupil = await findPupil(db, cardholderId, options);
  if (!pupil) throw new TesseraError('ERR_CATERING_PUPIL_NOT_FOUND', `Cardholder ${cardholderId} is not registered for catering`, { cardholderId });
  return pupil;
}

function pupilOf(row: Record<string, unknown>): Pupil {
  return {
    cardholderId: String(row.cardholder_id),
    schoolId: String(row.school_id),
    dailyLimitPence: nullablePence(row.daily_limit_pence),
    lowBalanceThresholdPence: nullablePence(row.low_balance_threshold_pence),
    allergens: (row.allergens as string[] | null) ?? [],
    dietary: (row.dietary as string[] | null) ?? [],
    fsmEligible: Boolean(row.fsm_eligible),
    purseAccountId: String(row.purse_account_id),
    fsmAccountId: String(row.fsm_account_id),
  };
}

export async function priceList(db: Knex, schoolId: string): Promise<Map<string, PricedItem>> {
  const rows = (await db('catering_items').where({ school_id: schoolId }).orderBy('code')) as Record<string, unknown>[];
  return new Map(
    rows.map((r) => [
      String(r.code),
      { code: String(r.code), name: String(r.name), pricePence: pence(r.price_pence), allergens: (r.allergens as string[]) ?? [], available: Boolean(r.available) },
    ]),
  );
}

/** The cardholder must exist and not be erased; the module reads identity's table, never writes it. */
export async function assertCardholder(db: Knex, cardholderId: string): Promise<void> {
  const row = UUID.test(cardholderId) ? await db('cardholders').where({ id: cardholderId.toLowerCase(), status: 'active' }).first('id') : undefined;
  if (!row) throw new TesseraError('ERR_CATERING_CARDHOLDER_UNKNOWN', `No active cardholder ${cardholderId}`, { cardholderId });
}
