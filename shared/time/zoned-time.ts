/**
 * Calendar arithmetic in the organisation's time zone (TESSERA_TIMEZONE), for "until midnight"
 * rules that must stay right across the clock changes: a day is 23 or 25 hours long twice a
 * year, so midnight is found in the zone, never as "+24 hours".
 */
export interface LocalDate {
  readonly year: number;
  readonly month: number;
  readonly day: number;
}

const HOUR = 3_600_000;
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(zone, f);
  }
  return f;
}

/** The wall clock in `zone` at `instant`, as if it were UTC (milliseconds dropped). */
export function wallClockAt(instant: number, zone: string): number {
  const parts = formatter(zone).formatToParts(new Date(instant));
  const get = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)?.value);
  return Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
}

export function localDateOf(instant: Date, zone: string): LocalDate {
  const wall = new Date(wallClockAt(instant.getTime(), zone));
  return { year: wall.getUTCFullYear(), month: wall.getUTCMonth() + 1, day: wall.getUTCDate() };
}

/** YYYY-MM-DD of `instant` in `zone` (e.g. a card's printed and CHUID expiry date). */
export function localDateString(instant: Date, zone: string): string {
  const { year, month, day } = localDateOf(instant, zone);
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/**
 * The zone's UTC offsets (ms, wall clock minus instant) a day and a half before and after the
 * wall time `wall` (written as if UTC): a zone changes its offset at most once in that span, so
 * the instant of `wall` is `wall` minus one of the two, and when they differ a clock change lies
 * between.
 */
export function offsetsAround(wall: number, zone: string): [before: number, after: number] {
  const before = wall - 36 * HOUR;
  const after = wall + 36 * HOUR;
  return [wallClockAt(before, zone) - before, wallClockAt(after, zone) - after];
}

/**
 * The first instant of a local day: its midnight, or, where the clocks jump over midnight, the
 * moment they land. Tries the offsets in force a day and a half either side (a zone changes its
 * offset at most once in that span) and keeps the earliest instant that falls on the day.
 */
export function startOfLocalDay(date: LocalDate, zone: string): Date {
  const wall = Date.UTC(date.year, date.month - 1, date.day);
  const candidates = offsetsAround(wall, zone)
    .map((offset) => wall - offset)
    .filter((instant) => {
      const local = localDateOf(new Date(instant), zone);
      return local.year === date.year && local.month === date.month && local.day === date.day;
    });
  if (candidates.length === 0) throw new RangeError(`cannot find the start of ${date.year}-${date.month}-${date.day} in ${zone}`);
  return new Date(Math.min(...candidates));
}

/** The next midnight in `zone` after `now`: the end of today there. */
export function nextMidnight(now: Date, zone: string): Date {
  const today = localDateOf(now, zone);
  const tomorrow = new Date(Date.UTC(today.year, today.month - 1, today.day + 1));
  return startOfLocalDay({ year: tomorrow.getUTCFullYear(), month: tomorrow.getUTCMonth() + 1, day: tomorrow.getUTCDate() }, zone);
}
