import { wallTime, type Weekday } from './local-time.js';

export type ScheduleDay = Weekday | 'holiday';

/** One interval of local wall time: start inclusive, end exclusive, in minutes after midnight. */
export interface ScheduleInterval {
  readonly day: ScheduleDay;
  readonly startMinute: number;
  readonly endMinute: number;
}

/** A weekly schedule; on a listed holiday the `holiday` intervals replace the weekday's. */
export interface Schedule {
  readonly id: string;
  readonly intervals: readonly ScheduleInterval[];
  /** Local dates, `YYYY-MM-DD`. */
  readonly holidays: readonly string[];
}

/** Whether the schedule is open at an instant, read in the organisation's time zone. */
export function scheduleOpenAt(schedule: Schedule, at: Date, timeZone: string): boolean {
  const local = wallTime(at, timeZone);
  const day: ScheduleDay = schedule.holidays.includes(local.date) ? 'holiday' : local.weekday;
  return schedule.intervals.some((i) => i.day === day && i.startMinute <= local.minute && local.minute < i.endMinute);
}

/** `HH:MM` to minutes after midnight; `24:00` is the end of the day. */
export function minuteOfDay(text: string): number {
  const match = /^([01]\d|2[0-4]):([0-5]\d)$/.exec(text);
  if (!match) throw new Error(`not a time of day: ${text}`);
  const minute = Number(match[1]) * 60 + Number(match[2]);
  if (minute > 1440) throw new Error(`not a time of day: ${text}`);
  return minute;
}

export function timeOfDay(minute: number): string {
  return `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;
}
