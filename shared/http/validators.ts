import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { TesseraError } from '../errors/index.js';
import type { JsonSchema } from './json-schema.js';

// ajv-formats is CommonJS; its default export arrives wrapped under ESM interop.
type AddFormats = (ajv: Ajv2020) => Ajv2020;
const addFormats = ((addFormatsModule as unknown as { default?: AddFormats }).default ?? addFormatsModule) as unknown as AddFormats;

/** JSON Schema 2020-12: the dialect OpenAPI 3.1 documents use, so one schema serves both. */
function makeAjv(coerce: boolean): Ajv2020 {
  const ajv = new Ajv2020({ allErrors: true, strict: true, coerceTypes: coerce ? 'array' : false, useDefaults: coerce });
  addFormats(ajv);
  const isCalendarDate = checkOf(ajv.formats.date);
  ajv.addFormat('date', { type: 'string', validate: (text: string) => isCalendarDate(text) && fromYearOne(text) });
  const isRfc3339DateTime = checkOf(ajv.formats['date-time']);
  ajv.addFormat('date-time', { type: 'string', validate: (text: string) => isRfc3339DateTime(text) && isStorableInstant(text) });
  // OpenAPI keywords that may appear in shared schemas; ajv must not reject them.
  ajv.addKeyword({ keyword: 'example' });
  ajv.addKeyword({ keyword: 'x-sensitive' });
  return ajv;
}

/**
 * `date`: ajv-formats' calendar check (month, day, leap years) from year 0001 on. Its own check
 * also passes year 0000, which PostgreSQL's date type refuses as out of range: a 500 for a
 * client's typing mistake (the API fuzz found it).
 */
const fromYearOne = (text: string) => !text.startsWith('0000');

/** Handlers read a `date-time` with `new Date(text)`: it must give a time, from 0001-01-01 on. */
const EARLIEST_INSTANT = Date.parse('0001-01-01T00:00:00Z');

/**
 * `date-time` as RFC 3339 has it, and an instant JavaScript and PostgreSQL can hold: a leap
 * second (23:59:60) is valid RFC 3339 that `new Date` turns into Invalid Date, a 500 in the
 * handler (the API fuzz found it on GET /v1/taps?before=).
 */
function isStorableInstant(text: string): boolean {
  const time = Date.parse(text);
  return !Number.isNaN(time) && time >= EARLIEST_INSTANT;
}

/** ajv-formats' check for a format, whichever of its shapes ajv stored it in. */
function checkOf(format: unknown): (text: string) => boolean {
  if (format instanceof RegExp) return (text) => format.test(text);
  if (typeof format === 'function') return format as (text: string) => boolean;
  if (format && typeof format === 'object' && 'validate' in format) return checkOf(format.validate);
  throw new Error('ajv-formats no longer defines this format');
}

/** Bodies are validated exactly as sent; path and query strings are coerced to the declared types. */
const bodyAjv = makeAjv(false);
const stringAjv = makeAjv(true);

export type RequestPart = 'body' | 'query' | 'params';

export interface FieldError {
  in: RequestPart;
  pointer: string;
  message: string;
}

export type Validator = (value: unknown) => unknown;

export function compileValidator(part: RequestPart, schema: JsonSchema): Validator {
  const validate: ValidateFunction = (part === 'body' ? bodyAjv : stringAjv).compile(schema);
  return (value: unknown) => {
    const valid = validate(value);
    const errors: FieldError[] = valid ? [] : (validate.errors ?? []).map((e) => describe(part, e));
    // A text body (CSV) is the route's to read: it can say more than "NUL" (a UTF-16 file is full of them).
    const unstorable = part === 'body' && typeof value === 'string' ? undefined : findUnstorableText(value);
    if (unstorable) errors.push({ in: part, pointer: unstorable.pointer || '/', message: unstorable.message });
    if (errors.length === 0) return value;
    throw new TesseraError('ERR_VALIDATION', summarise(errors), { errors });
  };
}

/** With the u flag a surrogate pair is one code point above U+FFFF, so this finds only unpaired ones. */
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;

/**
 * Where a value holds text PostgreSQL cannot store, in a string or a key: U+0000 (neither text
 * nor jsonb takes it) or an unpaired UTF-16 surrogate (jsonb refuses its escape; it is no
 * Unicode character, and I-JSON, RFC 7493, forbids it). Either would fail in the database as a
 * 500 (the API fuzz found both); it is the client's mistake and is refused here, for every route.
 */
function findUnstorableText(value: unknown): { pointer: string; message: string } | undefined {
  const problemWith = (text: string) =>
    text.includes('\u0000') ? 'must not contain the NUL character (U+0000)' : LONE_SURROGATE.test(text) ? 'must be well-formed Unicode (an unpaired surrogate is not a character)' : undefined;
  // A loop, not recursion: a body may nest tens of thousands of arrays deep within the size limit.
  const pending: [unknown, string][] = [[value, '']];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const [item, at] = next;
    if (typeof item === 'string') {
      const message = problemWith(item);
      if (message) return { pointer: at, message };
    } else if (typeof item === 'object' && item !== null) {
      for (const [key, child] of Object.entries(item)) {
        const message = problemWith(key);
        if (message) return { pointer: `${at}/${key}`, message };
        pending.push([child, `${at}/${key}`]);
      }
    }
  }
  return undefined;
}

function describe(part: RequestPart, error: ErrorObject): FieldError {
  if (error.keyword === 'additionalProperties') {
    const field = String((error.params as { additionalProperty: string }).additionalProperty);
    return { in: part, pointer: `${error.instancePath}/${field}`, message: `unknown field '${field}'` };
  }
  if (error.keyword === 'required') {
    const field = String((error.params as { missingProperty: string }).missingProperty);
    return { in: part, pointer: `${error.instancePath}/${field}`, message: `'${field}' is required` };
  }
  return { in: part, pointer: error.instancePath || '/', message: error.message ?? 'is invalid' };
}

function summarise(errors: FieldError[]): string {
  const shown = errors.slice(0, 3).map((e) => `${e.in}${e.pointer === '/' ? '' : ` ${e.pointer}`}: ${e.message}`);
  return shown.join('; ') + (errors.length > 3 ? `; and ${errors.length - 3} more` : '');
}
