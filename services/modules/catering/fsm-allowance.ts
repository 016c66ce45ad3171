import type { Knex } from 'knex';
import { balanceOf, transfer } from '../../../shared/ledger/index.js';
import { pence, type Pupil, type School } from './catering-store.js';
import { isSchoolDay } from './school-day.js';

export const CATERING_MODULE = 'catering';

/**
 * Brings a pupil's free-school-meal purse up to date for `today` (a date in the organisation's
 * time zone): first every earlier day still open gives back what is left of it to the school's
 * FSM funding account (not carried over), then, on a school day, today's allowance is credited.
 *
 * Exact and idempotent whether the daily job runs twice, late, or never (a purchase calls it
 * too): the caller holds the pupil's row lock; a day is credited only when its row in
 * catering_fsm_days is inserted, and expired only once (expired_at); the purse never holds more
 * than one day's allowance, so "what is left of the open day" is simply its balance. The ledger
 * keys name the pupil and the day, so even a replayed transfer cannot move money twice.
 * A pupil already settled for a later day is left alone.
 */
export async function settleFsm(trx: Knex.Transaction, pupil: Pupil, school: School, today: string, now: Date): Promise<void> {
  const days = (await trx.raw(
    `select school_day::text as day, school_day > ?::date as later from catering_fsm_days
      where cardholder_id = ? and ((expired_at is null and school_day < ?::date) or school_day > ?::date) order by school_day`,
    [today, pupil.cardholderId, today, today],
  )).rows as { day: string; later: boolean }[];
  // Never go back: once a later day was credited, settling an earlier one (an operator's --date, a
  // tap stamped before midnight and decided after) would put two days' allowance in the purse.
  if (days.some((d) => d.later)) return;
  for (const { day } of days) {
    const rest = await balanceOf(trx, pupil.fsmAccountId);
    if (rest > 0) {
      await transfer(
        trx,
        {
          idempotencyKey: `catering:fsm-expire:${pupil.cardholderId}:${day}`,
          debitAccountId: pupil.fsmAccountId,
          creditAccountId: school.fsmAccountId,
          amount: rest,
          currency: 'GBP',
          reason: `free school meal allowance for ${day} not used`,
          module: CATERING_MODULE,
          metadata: { schoolDay: day },
        },
        { now: () => now },
      );
    }
    await trx('catering_fsm_days').where({ cardholder_id: pupil.cardholderId, school_day: day }).update({ expired_pence: rest, expired_at: now });
  }
  if (!pupil.fsmEligible || school.fsmAllowancePence <= 0) return;
  if (!(await isSchoolDay(trx, school.id, today))) return;
  const inserted = (await trx.raw(
    `insert into catering_fsm_days (cardholder_id, school_day, credited_pence) values (?, ?::date, ?)
     on conflict do nothing returning credited_pence`,
    [pupil.cardholderId, today, school.fsmAllowancePence],
  )).rows as { credited_pence: unknown }[];
  if (inserted.length === 0) return;
  await transfer(
    trx,
    {
      idempotencyKey: `catering:fsm-credit:${pupil.cardholderId}:${today}`,
      debitAccountId: school.fsmAccountId,
      creditAccountId: pupil.fsmAccountId,
      amount: pence(inserted[0]!.credited_pence),
      currency: 'GBP',
      reason: `free school meal allowance for ${today}`,
      module: CATERING_MODULE,
      metadata: { schoolDay: today },
    },
    { now: () => now },
  );
}

/** Whether `day` is the pupil's open FSM day (credited and not yet expired). */
export async function isOpenFsmDay(trx: Knex.Transaction, cardholderId: string, day: string): Promise<boolean> {
  const row = await trx('catering_fsm_days').where({ cardholder_id: cardholderId, school_day: day }).whereNull('expired_at').first('cardholder_id');
  return row !== undefined;
}
