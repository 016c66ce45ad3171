import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { appendAudit, type AuditActor } from '../../../shared/audit/index.js';
import { TesseraError } from '../../../shared/errors/index.js';
import { conflictOnUniqueViolation } from '../../../shared/db/index.js';
import { openAccount } from '../../../shared/ledger/index.js';
import { assertCardholder, findPupil, findTill, getSchool, type Pupil, type School, type Till } from './catering-store.js';

/** The catering manager's set-up: schools, their calendar and price list, tills, pupils. Each change is audited. */
export interface SchoolInput {
  readonly name: string;
  readonly pinPolicy?: 'card' | 'card+pin';
  readonly fsmAllowancePence?: number;
  readonly defaultDailyLimitPence?: number | null;
  readonly lowBalanceThresholdPence?: number | null;
}

/** A staff member's id from a route, or another actor (the demo seeder is the system). */
export type Actor = string | AuditActor;
const staff = (actor: Actor): AuditActor => (typeof actor === 'string' ? { kind: 'staff', id: actor } : actor);

const schoolNameTaken = (name: string) => new TesseraError('ERR_CATERING_CONFLICT', `A school named ${name} already exists`, { name });

export async function createSchool(db: Knex, input: SchoolInput, staffId: Actor): Promise<School> {
  return db.transaction(async (trx) => {
    if (await trx('catering_schools').where({ name: input.name }).first('id')) throw schoolNameTaken(input.name);
    const id = randomUUID();
    const topup = await openAccount(trx, { kind: 'funding', label: `${input.name}: parental top-ups received`, ownerRef: `catering-school:${id}` });
    const fsm = await openAccount(trx, { kind: 'funding', label: `${input.name}: free school meal funding`, ownerRef: `catering-school:${id}` });
    const row = {
      id,
      name: input.name,
      pin_policy: input.pinPolicy ?? 'card',
      fsm_allowance_pence: input.fsmAllowancePence ?? 0,
      default_daily_limit_pence: input.defaultDailyLimitPence ?? null,
      low_balance_threshold_pence: input.lowBalanceThresholdPence ?? null,
      topup_account_id: topup.id,
      fsm_account_id: fsm.id,
    };
    // The check above can lose a race with a concurrent create: the unique index then answers the same 409.
    await conflictOnUniqueViolation(() => trx('catering_schools').insert(row), () => schoolNameTaken(input.name));
    await appendAudit(trx, { actor: staff(staffId), action: 'catering.school-create', subject: { kind: 'catering-school', id }, details: { ...input } });
    return getSchool(trx, id);
  });
}

export async function updateSchool(db: Knex, id: string, input: Partial<SchoolInput>, staffId: Actor): Promise<School> {
  return db.transaction(async (trx) => {
    await getSchool(trx, id);
    // As createSchool: the name is unique, and renaming onto another school's must be a 409, not the database's unique violation.
    if (input.name !== undefined && (await trx('catering_schools').where({ name: input.name }).whereNot({ id }).first('id'))) {
      throw schoolNameTaken(input.name);
    }
    const changes: Record<string, unknown> = {};
    if (input.name !== undefined) changes.name = input.name;
    if (input.pinPolicy !== undefined) changes.pin_policy = input.pinPolicy;
    if (input.fsmAllowancePence !== undefined) changes.fsm_allowance_pence = input.fsmAllowancePence;
    if (input.defaultDailyLimitPence !== undefined) changes.default_daily_limit_pence = input.defaultDailyLimitPence;
    if (input.lowBalanceThresholdPence !== undefined) changes.low_balance_threshold_pence = input.lowBalanceThresholdPence;
    // Only the name is unique; a rename racing another school's create or rename meets the index.
    if (Object.keys(changes).length > 0) {
      await conflictOnUniqueViolation(() => trx('catering_schools').where({ id }).update(changes), () => schoolNameTaken(String(input.name)));
    }
    await appendAudit(trx, { actor: staff(staffId), action: 'catering.school-update', subject: { kind: 'catering-school', id }, details: { ...input } });
    return getSchool(trx, id);
  });
}

export interface Calendar {
  readonly terms: readonly { readonly startsOn: string; readonly endsOn: string }[];
  readonly insetDays: readonly string[];
}

/** Replaces the school's calendar as a whole (terms and INSET days), as schools publish it per year. */
export async function setCalendar(db: Knex, schoolId: string, calendar: Calendar, staffId: Actor): Promise<Calendar> {
  const terms = [...calendar.terms].sort((a, b) => a.startsOn.localeCompare(b.startsOn));
  for (const [i, term] of terms.entries()) {
    if (term.endsOn < term.startsOn) throw new TesseraError('ERR_CATERING_CALENDAR_INVALID', `The term from ${term.startsOn} ends before it starts`, { field: `terms/${i}` });
    const next = terms[i + 1];
    if (next && next.startsOn <= term.endsOn) throw new TesseraError('ERR_CATERING_CALENDAR_INVALID', `The terms from ${term.startsOn} and ${next.startsOn} overlap`, { field: 'terms' });
  }
  return db.transaction(async (trx) => {
    await getSchool(trx, schoolId);
    await trx('catering_terms').where({ school_id: schoolId }).delete();
    await trx('catering_inset_days').where({ school_id: schoolId }).delete();
    if (terms.length > 0) await trx('catering_terms').insert(terms.map((t) => ({ school_id: schoolId, starts_on: t.startsOn, ends_on: t.endsOn })));
    const inset = [...new Set(calendar.insetDays)].sort();
    if (inset.length > 0) await trx('catering_inset_days').insert(inset.map((day) => ({ school_id: schoolId, day })));
    await appendAudit(trx, { actor: staff(staffId), action: 'catering.calendar-set', subject: { kind: 'catering-school', id: schoolId }, details: { terms, insetDays: inset } });
    return { terms, insetDays: inset };
  });
}

export interface ItemInput {
  readonly name: string;
  readonly pricePence: number;
  readonly allergens?: readonly string[];
  readonly available?: boolean;
}

export async function putItem(db: Knex, schoolId: string, code: string, input: ItemInput, staffId: Actor): Promise<void> {
  await db.transaction(async (trx) => {
    await getSchool(trx, schoolId);
    const row = { name: input.name, price_pence: input.pricePence, allergens: [...(input.allergens ?? [])].sort(), available: input.available ?? true };
    await trx('catering_items').insert({ school_id: schoolId, code, ...row }).onConflict(['school_id', 'code']).merge(row);
    await appendAudit(trx, { actor: staff(staffId), action: 'catering.item-set', subject: { kind: 'catering-school', id: schoolId }, details: { code, ...input } });
  });
}

/** A till is a registered reader placed at a school; its takings have their own ledger account. */
export async function putTill(db: Knex, readerId: string, input: { schoolId: string; name: string }, staffId: Actor): Promise<Till> {
  return db.transaction(async (trx) => {
    await getSchool(trx, input.schoolId);
    const existing = await findTill(trx, readerId);
    if (existing) {
      if (existing.schoolId !== input.schoolId) throw new TesseraError('ERR_CATERING_CONFLICT', `Till ${readerId} belongs to another school`, { readerId });
      await trx('catering_tills').where({ reader_id: readerId }).update({ name: input.name });
    } else {
      const takings = await openAccount(trx, { kind: 'till_takings', label: `till ${input.name}`, ownerRef: `catering-till:${readerId}` });
      await trx('catering_tills').insert({ reader_id: readerId, school_id: input.schoolId, name: input.name, takings_account_id: takings.id });
    }
    await appendAudit(trx, { actor: staff(staffId), action: 'catering.till-set', subject: { kind: 'reader', id: readerId }, details: { ...input } });
    return (await findTill(trx, readerId))!;
  });
}

export interface PupilInput {
  readonly schoolId: string;
  readonly dailyLimitPence?: number | null;
  readonly lowBalanceThresholdPence?: number | null;
  readonly allergens?: readonly string[];
  readonly dietary?: readonly string[];
  readonly fsmEligible?: boolean;
}

/** Registers a cardholder as a pupil (opening the purse and the FSM purse once) or changes their settings. */
export async function putPupil(db: Knex, cardholderId: string, input: PupilInput, staffId: Actor): Promise<Pupil> {
  return db.transaction(async (trx) => {
    await assertCardholder(trx, cardholderId);
    await getSchool(trx, input.schoolId);
    const id = cardholderId.toLowerCase();
    const settings = {
      school_id: input.schoolId,
      daily_limit_pence: input.dailyLimitPence ?? null,
      low_balance_threshold_pence: input.lowBalanceThresholdPence ?? null,
      allergens: [...(input.allergens ?? [])].sort(),
      dietary: [...(input.dietary ?? [])].sort(),
      fsm_eligible: input.fsmEligible ?? false,
    };
    if (await findPupil(trx, id, { lock: true })) {
      await trx('catering_pupils').where({ cardholder_id: id }).update(settings);
    } else {
      const purse = await openAccount(trx, { kind: 'purse', label: 'catering purse', ownerRef: id });
      const fsm = await openAccount(trx, { kind: 'purse', label: 'free school meal purse', ownerRef: id });
      await trx('catering_pupils').insert({ cardholder_id: id, ...settings, purse_account_id: purse.id, fsm_account_id: fsm.id });
    }
    // FSM eligibility is special category-adjacent data: the audit says it changed, not to what.
    const { fsmEligible: _fsm, ...visible } = input;
    await appendAudit(trx, { actor: staff(staffId), action: 'catering.pupil-set', subject: { kind: 'cardholder', id }, details: { ...visible, fsmChanged: input.fsmEligible !== undefined } });
    return (await findPupil(trx, id))!;
  });
}
