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
  // OpenAPI keywords that may appear in shared schemas; ajv must not reject them.
  ajv.addKeyword({ keyword: 'example' });
  ajv.addKeyword({ keyword: 'x-sensitive' });
  return ajv;
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
    if (validate(value)) return value;
    const errors = (validate.errors ?? []).map((e) => describe(part, e));
    throw new TesseraError('ERR_VALIDATION', summarise(errors), { errors });
  };
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
