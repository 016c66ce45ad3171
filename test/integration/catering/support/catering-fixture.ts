import type { Knex } from 'knex';
import { transfer } from '../../../../shared/ledger/index.js';
import { cateringModule } from '../../../../services/modules/catering/index.js';
import { createSchool, putItem, putPupil, putTill, setCalendar, type PupilInput } from '../../../../services/modules/catering/setup.js';
import { getPupil, getSchool } from '../../../../services/modules/catering/catering-store.js';
import { sharedTestDatabase, type TestDatabase } from '../../../support/test-database.js';
import { addCardholder, tapOf } from './module-harness.js';

export const cateringMigrations = { extraDirectories: [cateringModule.migrationsDirectory!] };

export function cateringDatabase(): Promise<TestDatabase> {
  return sharedTestDatabase(cateringMigrations);
}

/** A school (autumn term 2026, INSET day Fri 27 Nov) with a £2.50 meal, a 60p cookie (gluten) and a till. */
export async function schoolWithTill(knex: Knex, options: { pinPolicy?: 'card' | 'card+pin'; fsmAllowancePence?: number } = {}) {
  const school = await createSchool(knex, { name: `School ${Math.random().toString(36).slice(2)}`, fsmAllowancePence: options.fsmAllowancePence ?? 250, pinPolicy: options.pinPolicy ?? 'card' }, 'manager-1');
  await setCalendar(knex, school.id, { terms: [{ startsOn: '2026-09-01', endsOn: '2026-12-18' }], insetDays: ['2026-11-27'] }, 'manager-1');
  await putItem(knex, school.id, 'MEAL', { name: 'Hot meal', pricePence: 250 }, 'manager-1');
  await putItem(knex, school.id, 'COOKIE', { name: 'Cookie', pricePence: 60, allergens: ['gluten'] }, 'manager-1');
  const readerId = `till-${Math.random().toString(36).slice(2)}`;
  const till = await putTill(knex, readerId, { schoolId: school.id, name: 'Main hall' }, 'manager-1');
  return { school: await getSchool(knex, school.id), till };
}

export async function pupilAt(knex: Knex, schoolId: string, settings: Omit<PupilInput, 'schoolId'> = {}, purse = 0) {
  const { id } = await addCardholder(knex);
  const pupil = await putPupil(knex, id, { schoolId, ...settings }, 'manager-1');
  if (purse > 0) {
    const school = await getSchool(knex, schoolId);
    await transfer(knex, { idempotencyKey: `fixture-top-up:${id}`, debitAccountId: school.topupAccountId, creditAccountId: pupil.purseAccountId, amount: purse, currency: 'GBP', reason: 'fixture', module: 'catering' });
  }
  return getPupil(knex, id);
}

export function basket(...lines: [code: string, qty: number, unitPence: number][]) {
  return { items: lines.map(([code, qty, unitPence]) => ({ code, qty, unitPence })), totalPence: lines.reduce((sum, [, qty, unit]) => sum + qty * unit, 0) };
}

export function purchase(readerId: string, cardholderId: string, payload: unknown, at: Date, extra: { assurance?: 'card' | 'card+pin'; id?: string } = {}) {
  return tapOf({ purpose: 'till.purchase', readerId, cardholderId, payload, at, ...extra });
}
