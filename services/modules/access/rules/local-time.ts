/** A moment as the wall clock of one time zone shows it. */
export interface WallTime {
  /** `YYYY-MM-DD` of the local date. */
  readonly date: string;
  readonly weekday: Weekday;
  /** Minutes since local midnight, 0..1439. */
  readonly minute: number;
}

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      weekday: 'short',
      hour: '2-digit',
      minute: '2-digit',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/**
 * The local wall time of an instant. Schedules are written in wall time, so evaluating the
 * instant's own wall time is what keeps them right across the clock changes: on the spring
 * change 01:30 never happens, and on the autumn change 01:30 happens twice, both inside a
 * 01:00-02:00 interval.
 */
export function wallTime(at: Date, timeZone: string): WallTime {
  const parts: Record<string, string> = {};
  for (const part of formatterFor(timeZone).formatToParts(at)) parts[part.type] = part.value;
  const weekday = (parts.weekday ?? '').toLowerCase().slice(0, 3) as Weekday;
  if (!WEEKDAYS.includes(weekday)) throw new Error(`cannot read the weekday of ${at.toISOString()} in ${timeZone}`);
  return {
    date: `${parts.year}-${parts.month}-${parts.day}`,
    weekday,
    minute: Number(parts.hour) * 60 + Number(parts.minute),
  };
}
