import { parse } from 'csv-parse/sync';
import { TesseraError } from '../../../../shared/errors/index.js';
import { brokenPinRule, PIN_RULES } from '../pin-rules.js';

/**
 * The school-year batch file: one pupil a row, with a header row naming the columns (any order,
 * case-insensitive). `given_name`, `family_name` and `upn` are required; `org_unit` (school or
 * class) and `pin` are optional; an empty `pin` gets a generated one, written to the results.
 */
export const BATCH_COLUMNS = ['given_name', 'family_name', 'upn', 'org_unit', 'pin'] as const;
const REQUIRED = ['given_name', 'family_name', 'upn'] as const;
/** The DfE unique pupil number: a check letter, 11 digits, and a digit or letter (13 characters). */
const UPN = /^[A-Z][0-9]{11}[0-9A-Z]$/;
export const MAX_BATCH_ROWS = 5000;

export interface PupilRow {
  /** 1-based data row (the header is row 0), as the results and errors name it. */
  readonly row: number;
  readonly givenName: string;
  readonly familyName: string;
  readonly upn: string;
  readonly orgUnit: string | null;
  readonly pin: string | null;
}

export interface BatchProblem {
  readonly row: number;
  readonly field: string;
  readonly message: string;
}

/** Parses and checks every row; throws ERR_BATCH_INVALID listing every problem by row and field. */
export function parseBatchCsv(text: string): PupilRow[] {
  let records: string[][];
  try {
    records = parse(text, { bom: true, skip_empty_lines: true, trim: true, relax_column_count: false });
  } catch (error) {
    throw new TesseraError('ERR_BATCH_INVALID', `Not a CSV file: ${(error as Error).message}`, { problems: [(error as Error).message] });
  }
  const [header, ...rows] = records;
  if (!header) throw invalid([{ row: 0, field: '(header)', message: `the file is empty; the first row names the columns (${BATCH_COLUMNS.join(', ')})` }]);
  const columns = header.map((name) => name.toLowerCase());
  const problems: BatchProblem[] = [];
  for (const name of columns) {
    if (!(BATCH_COLUMNS as readonly string[]).includes(name)) problems.push({ row: 0, field: name, message: `unknown column (expected ${BATCH_COLUMNS.join(', ')})` });
  }
  for (const name of REQUIRED) if (!columns.includes(name)) problems.push({ row: 0, field: name, message: 'required column is missing' });
  if (rows.length > MAX_BATCH_ROWS) problems.push({ row: 0, field: '(file)', message: `at most ${MAX_BATCH_ROWS} rows per batch` });
  if (problems.length > 0) throw invalid(problems);

  const seen = new Map<string, number>();
  const pupils = rows.map((values, i) => {
    const row = i + 1;
    const get = (name: string) => {
      const at = columns.indexOf(name);
      return at < 0 ? '' : (values[at] ?? '').trim();
    };
    const pupil = { row, givenName: get('given_name'), familyName: get('family_name'), upn: get('upn').toUpperCase(), orgUnit: get('org_unit') || null, pin: get('pin') || null };
    for (const [field, value] of [['given_name', pupil.givenName], ['family_name', pupil.familyName]] as const) {
      if (value === '') problems.push({ row, field, message: 'is empty' });
      else if (value.length > 100) problems.push({ row, field, message: 'is longer than 100 characters' });
    }
    if (!UPN.test(pupil.upn)) problems.push({ row, field: 'upn', message: `"${pupil.upn}" is not a UPN (a letter, 11 digits, then a digit or letter)` });
    else if (seen.has(pupil.upn)) problems.push({ row, field: 'upn', message: `the same UPN as row ${seen.get(pupil.upn)}` });
    else seen.set(pupil.upn, row);
    if (pupil.orgUnit && pupil.orgUnit.length > 200) problems.push({ row, field: 'org_unit', message: 'is longer than 200 characters' });
    if (pupil.pin !== null) {
      const rule = brokenPinRule(pupil.pin);
      if (rule) problems.push({ row, field: 'pin', message: PIN_RULES[rule] });
    }
    return pupil;
  });
  if (problems.length > 0) throw invalid(problems);
  return pupils;
}

function invalid(problems: BatchProblem[]): TesseraError {
  const lines = problems.map((p) => (p.row === 0 ? `header, ${p.field}: ${p.message}` : `row ${p.row}, ${p.field}: ${p.message}`));
  return new TesseraError('ERR_BATCH_INVALID', `The batch file has ${problems.length} problem(s); nothing was issued`, { problems: lines });
}

/**
 * One CSV line, quoted where needed (RFC 4180). A text cell that a spreadsheet would run as a
 * formula (= + - @ first) gets a leading apostrophe (OWASP CSV injection).
 */
export function csvLine(values: readonly (string | number | null | undefined)[]): string {
  return `${values
    .map((v) => {
      const raw = v === null || v === undefined ? '' : String(v);
      const text = typeof v === 'string' && /^[=+\-@\t\r]/.test(raw) ? `'${raw}` : raw;
      return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
    })
    .join(',')}\r\n`;
}
