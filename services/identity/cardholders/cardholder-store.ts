import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { TesseraError } from '../../../shared/errors/index.js';
import { decodePhoto } from './cardholder-photo.js';
import type { CardholderInput, CardholderKind } from './cardholder-schemas.js';

export interface Cardholder {
  id: string;
  reference: string;
  givenName: string;
  familyName: string;
  kind: CardholderKind;
  orgUnit: string | null;
  staffNumber: string | null;
  pupilUpn: string | null;
  libraryNumber: string | null;
  email: string | null;
  dateOfBirth: string | null;
  hasPhoto: boolean;
  status: 'active' | 'erased';
  createdAt: string;
  updatedAt: string;
}

type Queryable = Knex | Knex.Transaction;

const columns = {
  givenName: 'given_name',
  familyName: 'family_name',
  kind: 'kind',
  orgUnit: 'org_unit',
  staffNumber: 'staff_number',
  pupilUpn: 'pupil_upn',
  libraryNumber: 'library_number',
  email: 'email',
  dateOfBirth: 'date_of_birth',
} as const satisfies Partial<Record<keyof CardholderInput, string>>;

const selected = [
  'id', 'reference', 'given_name', 'family_name', 'kind', 'org_unit', 'staff_number', 'pupil_upn', 'library_number',
  'email', 'date_of_birth', 'status', 'created_at', 'updated_at',
  // Whether there is a photo, without fetching its bytes for every list.
  { has_photo: 'photo_type' },
];

export function toCardholder(row: Record<string, any>): Cardholder {
  return {
    id: row.id,
    reference: row.reference,
    givenName: row.given_name,
    familyName: row.family_name,
    kind: row.kind,
    orgUnit: row.org_unit,
    staffNumber: row.staff_number,
    pupilUpn: row.pupil_upn,
    libraryNumber: row.library_number,
    email: row.email,
    dateOfBirth: row.date_of_birth === null ? null : formatDate(row.date_of_birth),
    hasPhoto: row.has_photo !== null && row.has_photo !== undefined,
    status: row.status,
    createdAt: new Date(row.created_at).toISOString(),
    updatedAt: new Date(row.updated_at).toISOString(),
  };
}

function formatDate(value: unknown): string {
  if (value instanceof Date) {
    // A DATE column arrives as local midnight; rebuild the calendar date from local parts.
    const pad = (n: number) => String(n).padStart(2, '0');
    return `${value.getFullYear()}-${pad(value.getMonth() + 1)}-${pad(value.getDate())}`;
  }
  return String(value).slice(0, 10);
}

function rowValues(input: CardholderInput): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const [field, column] of Object.entries(columns)) {
    const value = input[field as keyof typeof columns];
    if (value !== undefined) values[column] = typeof value === 'string' ? value.trim() : value;
  }
  if (input.photo !== undefined) {
    values.photo = input.photo === null ? null : decodePhoto(input.photo);
    values.photo_type = input.photo === null ? null : input.photo.contentType;
  }
  return values;
}

/** Which external reference a unique violation was about, for an error that names it. */
function referenceConflict(error: unknown): TesseraError | undefined {
  const e = error as { code?: string; constraint?: string; message?: string };
  if (e?.code !== '23505') return undefined;
  const field = Object.entries(columns).find(([, column]) => (e.constraint ?? e.message ?? '').includes(column))?.[0];
  return new TesseraError('ERR_CARDHOLDER_REFERENCE_TAKEN', `Another cardholder already has this ${field ?? 'reference'}`, {
    ...(field ? { field } : {}),
  });
}

export async function createCardholder(trx: Knex.Transaction, input: CardholderInput, now: Date): Promise<Cardholder> {
  const id = randomUUID();
  const { rows } = await trx.raw("select nextval('cardholder_reference_seq') as n");
  const reference = `TH-${String(rows[0].n).padStart(6, '0')}`;
  try {
    await trx('cardholders').insert({ id, reference, ...rowValues(input), created_at: now, updated_at: now });
  } catch (error) {
    throw referenceConflict(error) ?? error;
  }
  return (await findCardholder(trx, id))!;
}

export async function findCardholder(q: Queryable, id: string): Promise<Cardholder | undefined> {
  const row = await q('cardholders').where({ id }).first(selected);
  return row ? toCardholder(row) : undefined;
}

export async function getCardholder(q: Queryable, id: string, options: { allowErased?: boolean; forUpdate?: boolean } = {}): Promise<Cardholder> {
  const query = q('cardholders').where({ id }).first(selected);
  if (options.forUpdate) query.forUpdate();
  const row = await query;
  if (!row) throw new TesseraError('ERR_CARDHOLDER_NOT_FOUND', `No cardholder ${id}`);
  const cardholder = toCardholder(row);
  if (cardholder.status === 'erased' && !options.allowErased) {
    throw new TesseraError('ERR_CARDHOLDER_ERASED', `Cardholder ${cardholder.reference} has been erased`);
  }
  return cardholder;
}

export async function updateCardholder(trx: Knex.Transaction, id: string, input: CardholderInput, now: Date): Promise<{ before: Cardholder; after: Cardholder }> {
  const before = await getCardholder(trx, id, { forUpdate: true });
  try {
    await trx('cardholders').where({ id }).update({ ...rowValues(input), updated_at: now });
  } catch (error) {
    throw referenceConflict(error) ?? error;
  }
  return { before, after: (await findCardholder(trx, id))! };
}

export async function cardholderPhoto(q: Queryable, id: string): Promise<{ contentType: string; bytes: Buffer } | undefined> {
  const row = await q('cardholders').where({ id }).first('photo', 'photo_type');
  if (!row?.photo) return undefined;
  return { contentType: row.photo_type, bytes: Buffer.from(row.photo) };
}

export interface CardholderSearch {
  q?: string;
  kind?: CardholderKind;
  orgUnit?: string;
  limit: number;
  after?: string;
}

/** Name parts match anywhere (case-insensitive); references and numbers match exactly. */
export async function searchCardholders(q: Queryable, search: CardholderSearch): Promise<Cardholder[]> {
  const query = q('cardholders').select(selected).where({ status: 'active' }).orderBy('reference').limit(search.limit);
  if (search.kind) query.where({ kind: search.kind });
  if (search.orgUnit) query.where({ org_unit: search.orgUnit });
  if (search.after) query.where('reference', '>', search.after);
  if (search.q) {
    const term = search.q.trim();
    const like = `%${term.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    query.where((w) => {
      w.whereRaw('lower(given_name || \' \' || family_name) like lower(?)', [like])
        .orWhere('reference', term.toUpperCase())
        .orWhere('staff_number', term)
        .orWhere('pupil_upn', term.toUpperCase())
        .orWhere('library_number', term);
    });
  }
  return (await query).map(toCardholder);
}

/** Field names that changed: what the audit log records (never the personal values themselves). */
export function changedFields(before: Cardholder, input: CardholderInput): string[] {
  return Object.keys(input).filter((field) => {
    if (field === 'photo') return true;
    return (before as unknown as Record<string, unknown>)[field] !== input[field as keyof CardholderInput];
  });
}
