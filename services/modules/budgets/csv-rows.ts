import type { Knex } from 'knex';
import { parse } from 'csv-parse/sync';
import { CATEGORY_PATTERN, isUuid } from './budget-store.js';

/**
 * Checks a budget CSV row by row before anything is loaded (docs/modules/budgets.md):
 *
 *   recipient,period_start,period_end,amount,categories
 *   TH-000123,2026-12-01,2026-12-28,1250.00,personal-care;transport
 *
 * An optional sixth column, `contribution`, is the client's assessed share of the amount: the
 * council loads the rest and the client pays it in (contributions.ts).
 *
 * UTF-8 (a BOM is fine), comma-delimited, amounts in pounds with 0 or 2 decimals. Every
 * problem is reported with its row (the file's line number, header = 1) and field, so finance
 * can fix the file in one go.
 */
export const CSV_COLUMNS = ['recipient', 'period_start', 'period_end', 'amount', 'categories'] as const;
/** The optional last column. */
export const CONTRIBUTION_COLUMN = 'contribution';
const ALL_COLUMNS = [...CSV_COLUMNS, CONTRIBUTION_COLUMN];

export interface CsvProblem {
  readonly row: number;
  readonly field: string;
  readonly message: string;
}

export interface CsvRow {
  readonly row: number;
  readonly cardholderId: string;
  readonly periodStart: string;
  readonly periodEnd: string;
  /** The budget for the period, before the client contribution. */
  readonly amountPence: number;
  /** Absent in uploads stored before contributions existed: 0. */
  readonly contributionPence?: number;
  readonly categories: string[];
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const AMOUNT = /^\d{1,9}(\.\d{2})?$/;

export async function checkCsv(db: Knex, text: string): Promise<{ rows: CsvRow[]; problems: CsvProblem[] }> {
  // A UTF-16 file read as UTF-8 is full of NULs; invalid UTF-8 arrives as U+FFFD.
  if (text.includes('\u0000')) return fail(1, '*', 'the file is not UTF-8 (it looks like UTF-16): save it as "CSV UTF-8"');
  const body = text.startsWith('\uFEFF') ? text.slice(1) : text;
  const lines = body.split(/\r?\n/);
  const encoding: CsvProblem[] = [];
  lines.forEach((line, i) => {
    const at = line.indexOf('\uFFFD');
    if (at >= 0) encoding.push({ row: i + 1, field: ALL_COLUMNS[line.slice(0, at).split(',').length - 1] ?? '*', message: 'not valid UTF-8: save the file as "CSV UTF-8"' });
  });
  if (encoding.length > 0) return { rows: [], problems: encoding };
  const header = (lines[0] ?? '').trim();
  const withContribution = header === ALL_COLUMNS.join(',');
  if (header !== CSV_COLUMNS.join(',') && !withContribution) {
    const delimiter = [';', '\t', '|'].find((d) => header.includes(d) && !header.includes(','));
    const message = delimiter
      ? `the delimiter is ${delimiter === '\t' ? 'a tab' : `'${delimiter}'`}: separate fields with commas`
      : `the header must be exactly ${CSV_COLUMNS.join(',')} (optionally followed by ,${CONTRIBUTION_COLUMN})`;
    return fail(1, 'header', message);
  }
  const columns = withContribution ? ALL_COLUMNS.length : CSV_COLUMNS.length;

  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(body, { from_line: 2, relax_column_count: true, skip_empty_lines: true, info: true, trim: true }) as unknown as typeof records;
  } catch (error) {
    const line = (error as { lines?: number }).lines;
    return fail(typeof line === 'number' ? line : 0, '*', `not readable as CSV: ${(error as Error).message}`);
  }
  if (records.length === 0) return fail(2, '*', 'the file has no rows');

  const recipients = await lookUpRecipients(db, records.map((r) => r.record[0] ?? ''));
  const problems: CsvProblem[] = [];
  const rows: CsvRow[] = [];
  const seen = new Map<string, number>();
  for (const { record, info } of records) {
    const row = info.lines;
    const bad = (field: string, message: string) => problems.push({ row, field, message });
    if (record.length !== columns) {
      bad('*', `expected ${columns} fields, found ${record.length} (are the fields separated by commas?)`);
      continue;
    }
    const [recipient, start, end, amount, categoryList, contribution = ''] = record as [string, string, string, string, string, string?];
    const before = problems.length;
    const cardholderId = recipients.get(recipient);
    if (!cardholderId) bad('recipient', `no care recipient ${recipient}`);
    if (!isDate(start)) bad('period_start', `${start} is not a date (YYYY-MM-DD)`);
    if (!isDate(end)) bad('period_end', `${end} is not a date (YYYY-MM-DD)`);
    else if (isDate(start) && end < start) bad('period_end', 'the period ends before it starts');
    const amountPence = AMOUNT.test(amount) ? poundsToPence(amount) : 0;
    if (amountPence <= 0) bad('amount', `${amount} is not an amount in pounds greater than 0, e.g. 1250.00`);
    // An empty contribution is none; otherwise pounds like the amount, and less than it.
    const contributionPence = contribution === '' ? 0 : AMOUNT.test(contribution) ? poundsToPence(contribution) : -1;
    if (contributionPence < 0) bad(CONTRIBUTION_COLUMN, `${contribution} is not an amount in pounds, e.g. 150.00`);
    else if (amountPence > 0 && contributionPence >= amountPence) bad(CONTRIBUTION_COLUMN, `the contribution ${contribution} must be less than the amount ${amount}`);
    const categories = categoryList.split(';').map((c) => c.trim()).filter(Boolean);
    if (categories.length === 0 || categories.some((c) => !CATEGORY_PATTERN.test(c))) bad('categories', 'categories must be a ;-separated list of lower-case names such as personal-care;transport');
    if (problems.length > before || !cardholderId) continue;
    const key = `${cardholderId}|${start}|${end}`;
    const first = seen.get(key);
    if (first !== undefined) {
      bad('recipient', `duplicate of row ${first}`);
      continue;
    }
    seen.set(key, row);
    const clash = rows.find((r) => r.cardholderId === cardholderId && r.periodStart <= end && r.periodEnd >= start);
    if (clash) {
      bad('period_start', `overlaps the period of row ${clash.row} for the same recipient`);
      continue;
    }
    rows.push({ row, cardholderId, periodStart: start, periodEnd: end, amountPence, contributionPence, categories });
  }
  for (const r of await overlapsInDatabase(db, rows)) problems.push({ row: r.row, field: 'period_start', message: `the recipient already has a budget for ${r.periodStart}..${r.periodEnd}` });
  problems.sort((a, b) => a.row - b.row);
  return { rows, problems };
}

/** Rows whose period overlaps a budget the recipient already has. */
async function overlapsInDatabase(db: Knex, rows: readonly CsvRow[]): Promise<{ row: number; periodStart: string; periodEnd: string }[]> {
  if (rows.length === 0) return [];
  const existing = (await db.raw(
    `select cardholder_id, period_start::text as period_start, period_end::text as period_end from budgets where cardholder_id = any(?::uuid[])`,
    [[...new Set(rows.map((r) => r.cardholderId))]],
  )).rows as { cardholder_id: string; period_start: string; period_end: string }[];
  return rows.flatMap((r) => {
    const hit = existing.find((b) => b.cardholder_id === r.cardholderId && b.period_start <= r.periodEnd && b.period_end >= r.periodStart);
    return hit ? [{ row: r.row, periodStart: hit.period_start, periodEnd: hit.period_end }] : [];
  });
}

/** The file's recipients: cardholder ids or references of active care recipients. */
async function lookUpRecipients(db: Knex, names: string[]): Promise<Map<string, string>> {
  const ids = names.filter(isUuid).map((s) => s.toLowerCase());
  const references = names.filter((s) => !isUuid(s));
  const found = (await db('cardholders')
    .where({ status: 'active', kind: 'care_recipient' })
    .andWhere((q) => q.whereIn('id', ids).orWhereIn('reference', references))
    .select('id', 'reference')) as { id: string; reference: string }[];
  const map = new Map<string, string>();
  for (const { id, reference } of found) {
    map.set(reference, id);
    map.set(id, id);
  }
  for (const name of names) if (isUuid(name) && map.has(name.toLowerCase())) map.set(name, name.toLowerCase());
  return map;
}

function fail(row: number, field: string, message: string) {
  return { rows: [], problems: [{ row, field, message }] };
}

function isDate(value: string): boolean {
  return DATE.test(value) && !Number.isNaN(Date.parse(`${value}T00:00:00Z`)) && new Date(`${value}T00:00:00Z`).toISOString().startsWith(value);
}

/** Exact: "1250.5" is refused by the pattern, "1250.50" is 125050 pence; no floating point. */
function poundsToPence(amount: string): number {
  const [pounds, decimals = '00'] = amount.split('.');
  return Number(pounds) * 100 + Number(decimals);
}
