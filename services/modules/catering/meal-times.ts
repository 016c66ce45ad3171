import type { Knex } from 'knex';
import { appendAudit } from '../../../shared/audit/index.js';
import { TesseraError } from '../../../shared/errors/index.js';
import { getSchool, pence } from './catering-store.js';
import type { Actor } from './setup.js';

/**
 * A school's meal times (sittings), in the organisation's time zone. When a school has any, a
 * purchase must fall inside one (from `startsAt` inclusive to `endsAt` exclusive), the meal
 * time's own limit applies on top of the daily limit, and free school meal money is spent only
 * in the meal times flagged `fsm` (domain notes: "set meal times only"). A school without meal
 * times keeps the simple rules: any time, FSM money first.
 */
export interface MealTime {
  readonly name: string;
  /** 'HH:MM', local time. */
  readonly startsAt: string;
  /** 'HH:MM' (or '24:00'), local time, exclusive. */
  readonly endsAt: string;
  readonly limitPence: number | null;
  readonly fsm: boolean;
}

export interface MealTimeInput {
  readonly name: string;
  readonly startsAt: string;
  readonly endsAt: string;
  readonly limitPence?: number | null;
  readonly fsm?: boolean;
}

export async function mealTimesOf(db: Knex, schoolId: string): Promise<MealTime[]> {
  const rows = (await db('catering_meal_times').where({ school_id: schoolId }).orderBy('starts_at')) as Record<string, unknown>[];
  return rows.map((r) => ({
    name: String(r.name),
    startsAt: String(r.starts_at),
    endsAt: String(r.ends_at),
    limitPence: r.limit_pence === null || r.limit_pence === undefined ? null : pence(r.limit_pence),
    fsm: Boolean(r.fsm),
  }));
}

/** The local wall-clock time (HH:MM:SS, 24-hour) of an instant in the organisation's time zone. */
export function localTime(instant: Date, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone, hourCycle: 'h23', hour: '2-digit', minute: '2-digit', second: '2-digit' }).formatToParts(instant);
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '00';
  return `${part('hour')}:${part('minute')}:${part('second')}`;
}

/** The meal time a local time (HH:MM:SS) falls in, if any. 'HH:MM' compares with 'HH:MM:SS' as text the way the clock does. */
export function mealTimeAt(mealTimes: readonly MealTime[], time: string): MealTime | undefined {
  return mealTimes.find((m) => m.startsAt <= time && time < m.endsAt);
}

/** Replaces the school's meal times as a whole; they must not overlap, so a purchase belongs to one meal time at most. */
export async function setMealTimes(db: Knex, schoolId: string, input: readonly MealTimeInput[], staffId: Actor): Promise<MealTime[]> {
  const mealTimes: MealTime[] = input
    .map((m) => ({ name: m.name, startsAt: m.startsAt, endsAt: m.endsAt, limitPence: m.limitPence ?? null, fsm: m.fsm ?? false }))
    .sort((a, b) => a.startsAt.localeCompare(b.startsAt));
  const names = new Set<string>();
  for (const [i, m] of mealTimes.entries()) {
    if (names.has(m.name)) throw new TesseraError('ERR_CATERING_MEAL_TIMES_INVALID', `Two meal times are called ${m.name}`, { field: 'mealTimes/name', name: m.name });
    names.add(m.name);
    if (m.endsAt <= m.startsAt) throw new TesseraError('ERR_CATERING_MEAL_TIMES_INVALID', `${m.name} ends (${m.endsAt}) before it starts (${m.startsAt})`, { field: 'mealTimes/endsAt', name: m.name });
    const next = mealTimes[i + 1];
    if (next && next.startsAt < m.endsAt) throw new TesseraError('ERR_CATERING_MEAL_TIMES_INVALID', `${m.name} and ${next.name} overlap`, { field: 'mealTimes', name: next.name });
  }
  return db.transaction(async (trx) => {
    await getSchool(trx, schoolId);
    await trx('catering_meal_times').where({ school_id: schoolId }).delete();
    if (mealTimes.length > 0) {
      await trx('catering_meal_times').insert(
        mealTimes.map((m) => ({ school_id: schoolId, name: m.name, starts_at: m.startsAt, ends_at: m.endsAt, limit_pence: m.limitPence, fsm: m.fsm })),
      );
    }
    const actor = typeof staffId === 'string' ? { kind: 'staff' as const, id: staffId } : staffId;
    await appendAudit(trx, { actor, action: 'catering.meal-times-set', subject: { kind: 'catering-school', id: schoolId }, details: { mealTimes } });
    return mealTimesOf(trx, schoolId);
  });
}
