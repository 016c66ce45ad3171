import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { TesseraError } from '../../../../shared/errors/index.js';
import { minuteOfDay, timeOfDay, type Schedule, type ScheduleDay } from '../rules/schedule.js';

/** A schedule as the API shows it: intervals in `HH:MM` local wall time. */
export interface ScheduleView {
  readonly id: string;
  readonly name: string;
  readonly intervals: readonly { day: ScheduleDay; start: string; end: string }[];
  readonly holidays: readonly { date: string; name: string }[];
}

export interface ScheduleInput {
  readonly name: string;
  readonly intervals: readonly { day: ScheduleDay; start: string; end: string }[];
  readonly holidays?: readonly { date: string; name?: string }[];
}

export async function createSchedule(knex: Knex, input: ScheduleInput, now: Date): Promise<ScheduleView> {
  const id = randomUUID();
  const intervals = input.intervals.map((i) => {
    const startMinute = minuteOfDay(i.start);
    const endMinute = minuteOfDay(i.end);
    if (startMinute >= endMinute) throw new TesseraError('ERR_ACCESS_INVALID', `An interval must end after it starts (${i.day} ${i.start}-${i.end})`);
    return { schedule_id: id, day: i.day, start_minute: startMinute, end_minute: endMinute };
  });
  try {
    await knex.transaction(async (trx) => {
      await trx('access_schedules').insert({ id, name: input.name, created_at: now });
      if (intervals.length > 0) await trx('access_schedule_intervals').insert(intervals);
      const holidays = (input.holidays ?? []).map((h) => ({ schedule_id: id, day: h.date, name: h.name ?? '' }));
      if (holidays.length > 0) await trx('access_holidays').insert(holidays);
    });
  } catch (err) {
    if ((err as { code?: string }).code === '23505') throw new TesseraError('ERR_ACCESS_NAME_TAKEN', `A schedule named ${input.name} exists (or a holiday is listed twice)`);
    throw err;
  }
  return scheduleView(knex, id);
}

export async function addHoliday(knex: Knex, scheduleId: string, holiday: { date: string; name?: string }): Promise<ScheduleView> {
  await scheduleView(knex, scheduleId);
  await knex('access_holidays').insert({ schedule_id: scheduleId, day: holiday.date, name: holiday.name ?? '' }).onConflict(['schedule_id', 'day']).merge();
  return scheduleView(knex, scheduleId);
}

export async function removeHoliday(knex: Knex, scheduleId: string, date: string): Promise<ScheduleView> {
  await knex('access_holidays').where({ schedule_id: scheduleId, day: date }).delete();
  return scheduleView(knex, scheduleId);
}

export async function scheduleView(knex: Knex, id: string): Promise<ScheduleView> {
  const row = await knex('access_schedules').where({ id }).first();
  if (!row) throw new TesseraError('ERR_ACCESS_NOT_FOUND', `No schedule ${id}`, { scheduleId: id });
  const [schedule] = await loadSchedules(knex, [id]);
  const holidays = await knex('access_holidays').where({ schedule_id: id }).orderBy('day');
  return {
    id,
    name: row.name,
    intervals: (schedule?.intervals ?? []).map((i) => ({ day: i.day, start: timeOfDay(i.startMinute), end: timeOfDay(i.endMinute) })),
    holidays: holidays.map((h: any) => ({ date: dateText(h.day), name: h.name })),
  };
}

export async function listSchedules(knex: Knex): Promise<ScheduleView[]> {
  const rows = await knex('access_schedules').select('id').orderBy('name');
  return Promise.all(rows.map((r: any) => scheduleView(knex, r.id)));
}

/** The schedules with these ids, as the rules evaluate them. */
export async function loadSchedules(knex: Knex, ids: readonly string[]): Promise<Schedule[]> {
  if (ids.length === 0) return [];
  const intervals = await knex('access_schedule_intervals').whereIn('schedule_id', ids).orderBy(['schedule_id', 'day', 'start_minute']);
  const holidays = await knex('access_holidays').whereIn('schedule_id', ids);
  return ids.map((id) => ({
    id,
    intervals: intervals
      .filter((i: any) => i.schedule_id === id)
      .map((i: any) => ({ day: i.day, startMinute: Number(i.start_minute), endMinute: Number(i.end_minute) })),
    holidays: holidays.filter((h: any) => h.schedule_id === id).map((h: any) => dateText(h.day)),
  }));
}

/** A `date` column as `YYYY-MM-DD`: pg gives a Date at local midnight, PGlite may give either. */
function dateText(value: unknown): string {
  if (value instanceof Date) {
    const y = value.getFullYear();
    return `${y}-${String(value.getMonth() + 1).padStart(2, '0')}-${String(value.getDate()).padStart(2, '0')}`;
  }
  return String(value).slice(0, 10);
}
