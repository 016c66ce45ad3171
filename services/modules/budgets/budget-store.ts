import type { Knex } from 'knex';
import { TesseraError } from '../../../shared/errors/index.js';

export const BUDGETS_MODULE = 'budgets';
export const CATEGORY_PATTERN = /^[a-z][a-z0-9-]{0,39}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: string): boolean {
  return UUID.test(value);
}

export function pence(value: unknown): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n)) throw new Error(`not a whole number of pence: ${String(value)}`);
  return n;
}

/** The calendar date (YYYY-MM-DD) of an instant in the organisation's time zone. */
export function localDate(instant: Date, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(instant);
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('year')}-${part('month')}-${part('day')}`;
}

export interface Budget {
  readonly id: string;
  readonly cardholderId: string;
  readonly periodStart: string;
  readonly periodEnd: string;
  readonly categories: readonly string[];
  readonly accountId: string;
  readonly status: 'open' | 'closed';
  readonly clawbackPence: number | null;
}

const budgetColumns = `id, cardholder_id, period_start::text as period_start, period_end::text as period_end, categories, account_id, status, clawback_pence`;

function budgetOf(row: Record<string, unknown>): Budget {
  return {
    id: String(row.id),
    cardholderId: String(row.cardholder_id),
    periodStart: String(row.period_start),
    periodEnd: String(row.period_end),
    categories: (row.categories as string[]) ?? [],
    accountId: String(row.account_id),
    status: row.status as Budget['status'],
    clawbackPence: row.clawback_pence === null || row.clawback_pence === undefined ? null : pence(row.clawback_pence),
  };
}

export async function findBudget(db: Knex, id: string, options: { lock?: boolean } = {}): Promise<Budget | undefined> {
  if (!isUuid(id)) return undefined;
  const row = (await db.raw(`select ${budgetColumns} from budgets where id = ?${options.lock ? ' for update' : ''}`, [id.toLowerCase()])).rows[0];
  return row ? budgetOf(row) : undefined;
}

export async function getBudget(db: Knex, id: string, options: { lock?: boolean } = {}): Promise<Budget> {
  const budget = await findBudget(db, id, options);
  if (!budget) throw new TesseraError('ERR_BUDGET_NOT_FOUND', `No budget ${id}`, { budgetId: id });
  return budget;
}

export async function budgetsOf(db: Knex, cardholderId: string): Promise<Budget[]> {
  const rows = (await db.raw(`select ${budgetColumns} from budgets where cardholder_id = ? order by period_start`, [cardholderId.toLowerCase()])).rows as Record<string, unknown>[];
  return rows.map(budgetOf);
}

export async function fundingAccountId(db: Knex): Promise<string> {
  const row = await db('budget_settings').where({ id: 1 }).first('funding_account_id');
  return String(row.funding_account_id);
}

/** Where the clients' own payments-in come from (a funding account of its own, so reports tell the sources apart). */
export async function contributionsAccountId(db: Knex): Promise<string> {
  const row = await db('budget_settings').where({ id: 1 }).first('contributions_account_id');
  return String(row.contributions_account_id);
}

export interface Provider {
  readonly id: string;
  readonly name: string;
  readonly categories: readonly string[];
  readonly status: 'approved' | 'suspended';
  readonly accountId: string;
}

export function providerOf(row: Record<string, unknown>): Provider {
  return { id: String(row.id), name: String(row.name), categories: (row.categories as string[]) ?? [], status: row.status as Provider['status'], accountId: String(row.account_id) };
}

export async function getProvider(db: Knex, id: string): Promise<Provider> {
  const row = isUuid(id) ? await db('budget_providers').where({ id: id.toLowerCase() }).first() : undefined;
  if (!row) throw new TesseraError('ERR_BUDGET_PROVIDER_NOT_FOUND', `No provider ${id}`, { providerId: id });
  return providerOf(row);
}

/** A care recipient: an active cardholder of kind care_recipient, found by id or by reference; identity's table is only read. */
export async function findRecipient(db: Knex, idOrReference: string): Promise<{ id: string; reference: string } | undefined> {
  const query = db('cardholders').where({ status: 'active', kind: 'care_recipient' });
  const row = await (isUuid(idOrReference) ? query.where({ id: idOrReference.toLowerCase() }) : query.where({ reference: idOrReference })).first('id', 'reference');
  return row ? { id: String(row.id), reference: String(row.reference) } : undefined;
}
