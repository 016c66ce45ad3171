import type { Knex } from 'knex';

/** The calendar date (YYYY-MM-DD) of an instant in the organisation's time zone: "today" for a school. */
export function localDate(instant: Date, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(instant);
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('year')}-${part('month')}-${part('day')}`;
}

/** The weekday (1 = Monday ... 7 = Sunday) of a calendar date, independent of any time zone. */
export function isoWeekday(day: string): number {
  const weekday = new Date(`${day}T12:00:00Z`).getUTCDay();
  return weekday === 0 ? 7 : weekday;
}

/**
 * A school day is a weekday inside one of the school's terms that is not an INSET (training)
 * day. Bank holidays are left out of the terms by whoever enters them, as schools publish them.
 */
export async function isSchoolDay(db: Knex, schoolId: string, day: string): Promise<boolean> {
  if (isoWeekday(day) > 5) return false;
  const row = (await db.raw(
    `select exists (select 1 from catering_terms where school_id = ? and starts_on <= ?::date and ends_on >= ?::date)
        and not exists (select 1 from catering_inset_days where school_id = ? and day = ?::date) as open`,
    [schoolId, day, day, schoolId, day],
  )).rows[0] as { open: boolean };
  return row.open;
}

/** pg returns `date` columns as Date at local midnight or as text; either way we want YYYY-MM-DD. */
export function dateText(value: unknown): string {
  if (value instanceof Date) {
    const pad = (n: number) => String(n).padStart(2, '0');
    return `${value.getFullYear()}-${pad(value.getMonth() + 1)}-${pad(value.getDate())}`;
  }
  return String(value).slice(0, 10);
}
