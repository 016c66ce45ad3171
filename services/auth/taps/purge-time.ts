import type { TimeOfDay } from '../../../shared/config/index.js';
import { localDateOf, offsetsAround, wallClockAt } from '../../../shared/time/zoned-time.js';

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

/** The local calendar day of `instant` in `zone`, as a UTC midnight (only its date is used). */
function localDayOf(instant: Date, zone: string): number {
  const { year, month, day } = localDateOf(instant, zone);
  return Date.UTC(year, month - 1, day);
}

/** The purge instant on the local day `day` (a UTC midnight naming the date). */
export function purgeInstantOn(day: number, at: TimeOfDay, zone: string): Date {
  const wall = day + at.hour * HOUR_MS + at.minute * 60_000;
  const [before, after] = offsetsAround(wall, zone);
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
