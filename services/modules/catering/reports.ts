import type { Knex } from 'knex';
import { accountStatement, balanceOf, type StatementLine } from '../../../shared/ledger/index.js';
import { getPupil, pence } from './catering-store.js';
import { localDate } from './school-day.js';

export interface TillDayTakings {
  readonly readerId: string;
  readonly till: string;
  readonly schoolId: string;
  readonly day: string;
  readonly sales: number;
  readonly grossPence: number;
  readonly fsmPence: number;
  readonly cashPence: number;
  readonly refundsPence: number;
  readonly netPence: number;
}

/** Takings per till per school day (organisation time zone); refunds count on the day they were made, against the sale's till. */
export async function takingsPerTillPerDay(db: Knex, range: { from: string; to: string; schoolId?: string | undefined }): Promise<TillDayTakings[]> {
  const school = range.schoolId ? 'and t.school_id = ?' : '';
  const args = (): string[] => [range.from, range.to, ...(range.schoolId ? [range.schoolId] : [])];
  const sales = (await db.raw(
    `select t.reader_id, t.name, t.school_id, s.school_day::text as day, count(*) as n,
            sum(s.total_pence) as gross, sum(s.fsm_pence) as fsm, sum(s.cash_pence) as cash
       from catering_sales s join catering_tills t on t.reader_id = s.till_reader_id
      where s.school_day between ?::date and ?::date ${school}
      group by t.reader_id, t.name, t.school_id, s.school_day`,
    args(),
  )).rows as Record<string, unknown>[];
  const refunds = (await db.raw(
    `select t.reader_id, t.name, t.school_id, r.school_day::text as day, sum(r.amount_pence) as refunded
       from catering_refunds r join catering_sales s on s.id = r.sale_id join catering_tills t on t.reader_id = s.till_reader_id
      where r.school_day between ?::date and ?::date ${school}
      group by t.reader_id, t.name, t.school_id, r.school_day`,
    args(),
  )).rows as Record<string, unknown>[];
  const rows = new Map<string, TillDayTakings>();
  const keyOf = (r: Record<string, unknown>) => `${String(r.reader_id)}|${String(r.day)}`;
  const blank = (r: Record<string, unknown>): TillDayTakings => ({
    readerId: String(r.reader_id), till: String(r.name), schoolId: String(r.school_id), day: String(r.day),
    sales: 0, grossPence: 0, fsmPence: 0, cashPence: 0, refundsPence: 0, netPence: 0,
  });
  for (const r of sales) {
    const gross = pence(r.gross);
    rows.set(keyOf(r), { ...blank(r), sales: Number(r.n), grossPence: gross, fsmPence: pence(r.fsm), cashPence: pence(r.cash), netPence: gross });
  }
  for (const r of refunds) {
    const row = rows.get(keyOf(r)) ?? blank(r);
    const refunded = pence(r.refunded);
    rows.set(keyOf(r), { ...row, refundsPence: refunded, netPence: row.grossPence - refunded });
  }
  return [...rows.values()].sort((a, b) => a.day.localeCompare(b.day) || a.till.localeCompare(b.till) || a.readerId.localeCompare(b.readerId));
}

export interface PupilStatement {
  readonly cardholderId: string;
  readonly balancePence: number;
  readonly fsmBalancePence: number;
  readonly sales: readonly { id: string; tapId: string; day: string; till: string; totalPence: number; fsmPence: number; cashPence: number; refundedPence: number; basket: unknown; at: string }[];
  readonly purse: readonly StatementLine[];
  readonly fsm: readonly StatementLine[];
}

/** A pupil's statement: balances, sales with their baskets (what parents see item by item) and both purses' ledger lines. */
export async function pupilStatement(db: Knex, cardholderId: string, range: { from: string; to: string }, timeZone: string): Promise<PupilStatement> {
  const pupil = await getPupil(db, cardholderId);
  const sales = (await db.raw(
    `select s.id, s.tap_id, s.school_day::text as day, t.name as till, s.total_pence, s.fsm_pence, s.cash_pence, s.basket, s.created_at,
            coalesce((select sum(r.amount_pence) from catering_refunds r where r.sale_id = s.id), 0) as refunded
       from catering_sales s join catering_tills t on t.reader_id = s.till_reader_id
      where s.cardholder_id = ? and s.school_day between ?::date and ?::date
      order by s.created_at, s.id`,
    [pupil.cardholderId, range.from, range.to],
  )).rows as Record<string, unknown>[];
  // Days in the organisation's time zone, like the sales' school days.
  const inRange = (line: StatementLine) => {
    const day = localDate(new Date(line.createdAt), timeZone);
    return day >= range.from && day <= range.to;
  };
  return {
    cardholderId: pupil.cardholderId,
    balancePence: await balanceOf(db, pupil.purseAccountId),
    fsmBalancePence: await balanceOf(db, pupil.fsmAccountId),
    sales: sales.map((s) => ({
      id: String(s.id), tapId: String(s.tap_id), day: String(s.day), till: String(s.till),
      totalPence: pence(s.total_pence), fsmPence: pence(s.fsm_pence), cashPence: pence(s.cash_pence), refundedPence: pence(s.refunded),
      basket: typeof s.basket === 'string' ? JSON.parse(s.basket) : s.basket, at: new Date(s.created_at as string).toISOString(),
    })),
    purse: (await accountStatement(db, pupil.purseAccountId, { limit: 1000 })).lines.filter(inRange),
    fsm: (await accountStatement(db, pupil.fsmAccountId, { limit: 1000 })).lines.filter(inRange),
  };
}
