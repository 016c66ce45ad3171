import type { TimeOfDay } from '../../../shared/config/index.js';

/**
 * When the daily tap purge is due. The time is read in the organisation's zone
 * (TESSERA_TIMEZONE), never the host's: every process on one database then agrees on the
 * instant, whatever TZ its container was given. Pure functions of (now, time, zone), so tests
 * need no clock.
 *
 * Clock changes: a time the clocks skip (01:30 on the spring change in London) is taken as the
 * moment it would have been, read with the offset before the jump (02:30 BST, an hour later on
 * the wall); a time that happens twice (01:30 on the autumn change) is its first occurrence.
 */

const HOUR_MS = 3_600_000;
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
    formatters.set(zone, f);
  }
  return f;
}

/** The wall clock in `zone` at `instant`, written as if it were a UTC instant (milliseconds dropped). */
function wallClockAt(instant: number, zone: string): number {
  const parts = formatter(zone).formatToParts(new Date(instant));
  const get = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)?.value);
  return Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
}

/** The local calendar day of `instant` in `zone`, as a UTC midnight (only its date is used). */
function localDayOf(instant: Date, zone: string): number {
  const wall = new Date(wallClockAt(instant.getTime(), zone));
  return Date.UTC(wall.getUTCFullYear(), wall.getUTCMonth(), wall.getUTCDate());
}

/** The purge instant on the local day `day` (a UTC midnight naming the date). */
export function purgeInstantOn(day: number, at: TimeOfDay, zone: string): Date {
  const wall = day + at.hour * HOUR_MS + at.minute * 60_000;
  // A zone changes its offset at most once in a day and a half either side of the time.
  const before = wallClockAt(wall - 36 * HOUR_MS, zone) - (wall - 36 * HOUR_MS);
  const after = wallClockAt(wall + 36 * HOUR_MS, zone) - (wall + 36 * HOUR_MS);
  const matching = [wall - before, wall - after].filter((instant) => wallClockAt(instant, zone) === wall);
  // None: the clocks skipped this time; the offset before the jump places it just after.
  return new Date(matching.length > 0 ? Math.min(...matching) : wall - before);
}

/** The latest purge time at or before `now`: today's if it has come, else yesterday's. */
export function latestPurgeSlot(now: Date, at: TimeOfDay, zone: string): Date {
  const today = localDayOf(now, zone);
  const slot = purgeInstantOn(today, at, zone);
  return slot.getTime() <= now.getTime() ? slot : purgeInstantOn(today - 24 * HOUR_MS, at, zone);
}

/** The first purge time after `now`: today's if it is still to come, else tomorrow's. */
export function nextPurgeSlot(now: Date, at: TimeOfDay, zone: string): Date {
  const today = localDayOf(now, zone);
  const slot = purgeInstantOn(today, at, zone);
  return slot.getTime() > now.getTime() ? slot : purgeInstantOn(today + 24 * HOUR_MS, at, zone);
}
