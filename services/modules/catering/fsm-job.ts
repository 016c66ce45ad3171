import type { Knex } from 'knex';
import { findPupil, getSchool } from './catering-store.js';
import { settleFsm } from './fsm-allowance.js';
import { localDate } from './school-day.js';

/**
 * The daily free-school-meal run (a scheduler calls POST /v1/catering/fsm/settle or
 * `tessera catering fsm-settle` each school morning; a purchase settles its pupil on its own anyway). One short transaction per pupil,
 * so a run that stops half-way is simply finished by the next one.
 */
export async function settleAllFsm(db: Knex, now: Date, timeZone: string, options: { day?: string } = {}): Promise<{ day: string; pupils: number }> {
  // An explicit day (the CLI's --date) is checked by the caller: never after today.
  const day = options.day ?? localDate(now, timeZone);
  const ids = (await db('catering_pupils').select('cardholder_id').orderBy('cardholder_id')) as { cardholder_id: string }[];
  for (const { cardholder_id: id } of ids) {
    await db.transaction(async (trx) => {
      const pupil = (await findPupil(trx, id, { lock: true }))!;
      await settleFsm(trx, pupil, await getSchool(trx, pupil.schoolId), day, now);
    });
  }
  return { day, pupils: ids.length };
}
