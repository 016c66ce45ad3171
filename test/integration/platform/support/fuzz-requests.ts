import fc from 'fast-check';
import type { JsonSchema } from '../../../../shared/http/json-schema.js';
import type { ApiOperation } from './api-operations.js';
import {
  encodeSegment,
  hostileString,
  hostileValue,
  malformedJson,
  rawPathSegment,
  rawQueryPart,
  toJsonText,
  wrongContentType,
} from './hostile-values.js';
import type { KnownIds } from './known-ids.js';
import type { RawRequest } from './raw-http.js';
import { schemaArbitrary, type SchemaArbitraryOptions } from './schema-arbitrary.js';

/** A generated request, with the name of the generator that made it for the failure report. */
export interface FuzzRequest extends RawRequest {
  readonly shape: string;
}

/** Where generated ids and strings may come from besides chance: earlier answers. */
type ValueSources = Required<SchemaArbitraryOptions>;

const NIL_UUID = '00000000-0000-0000-0000-000000000000';
/**
 * node:http answers a request line and headers over 16 KiB itself, with a bare 431 before the
 * app sees it; generated URLs stay under that, so every answer checked is the platform's own.
 */
const MAX_URL_PART = 2000;
const MAX_QUERY = 6000;
const OTHER_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;

/** Requests for one operation, from nearly valid to plainly hostile; `authorization` says how the caller signs in. */
export function fuzzRequests(op: ApiOperation, knownIds: KnownIds, authorization: fc.Arbitrary<string | undefined>): fc.Arbitrary<FuzzRequest> {
  // Mostly an id seen in an earlier answer under a fitting name, so the request names a record that exists.
  const uuid = (name: string) =>
    fc.oneof(
      { weight: 1, arbitrary: fc.uuid() },
      {
        weight: 3,
        arbitrary: fc.nat().map((i) => {
          const ids = knownIds.fitting(name);
          return ids.length > 0 ? ids[i % ids.length]! : NIL_UUID;
        }),
      },
    );
  const sources: ValueSources = { uuid, seen: (name) => knownIds.valuesOf(name) };
  return fc
    .record({
      method: fc.oneof({ weight: 12, arbitrary: fc.constant(op.method) }, { weight: 1, arbitrary: fc.constantFrom(...OTHER_METHODS) }),
      path: pathArbitrary(op, sources),
      query: queryArbitrary(op, sources),
      body: op.body ? declaredBody(op.body.contentType, op.body.schema, sources) : undeclaredBody,
      authorization,
      // Money-moving routes need one; most requests carry a good one.
      idempotencyKey: fc.oneof(
        { weight: 4, arbitrary: fc.uuid() },
        { weight: 1, arbitrary: fc.constant(undefined) },
        { weight: 1, arbitrary: fc.constantFrom('', 'x', 'a'.repeat(300), '../..', 'key with spaces') },
      ),
    })
    .map(({ method, path, query, body, authorization, idempotencyKey }) => {
      const headers: Record<string, string> = {};
      if (authorization !== undefined) headers.authorization = authorization;
      if (idempotencyKey !== undefined) headers['idempotency-key'] = idempotencyKey;
      if (body.contentType !== undefined) headers['content-type'] = body.contentType;
      return { method, path: query ? `${path}?${query}` : path, headers, ...(body.text !== undefined ? { body: body.text } : {}), shape: body.shape };
    });
}

function pathArbitrary(op: ApiOperation, sources: ValueSources): fc.Arbitrary<string> {
  const names = Object.keys(op.pathParams);
  const segment = (name: string, schema: JsonSchema) =>
    fc.oneof(
      { weight: 3, arbitrary: schemaArbitrary(schema, sources, name).map((v) => encodeForUrl(String(v))) },
      { weight: 3, arbitrary: sources.uuid(name) },
      { weight: 2, arbitrary: rawPathSegment },
      { weight: 1, arbitrary: hostileString.map(encodeForUrl) },
    );
  return fc
    .tuple(...names.map((name) => segment(name, op.pathParams[name]!)))
    .map((values) => op.path.replace(/\{(\w+)\}/g, (_, name: string) => values[names.indexOf(name)]!));
}

function queryArbitrary(op: ApiOperation, sources: ValueSources): fc.Arbitrary<string> {
  const value = (name: string, schema: JsonSchema) =>
    fc.oneof(
      { weight: 3, arbitrary: schemaArbitrary(schema, sources, name).map((v) => [String(v)]) },
      { weight: 1, arbitrary: hostileString.map((s) => [s]) },
      { weight: 1, arbitrary: fc.array(hostileString, { minLength: 2, maxLength: 3 }) },
    );
  const declared = fc.record(Object.fromEntries(Object.entries(op.queryParams).map(([name, schema]) => [name, value(name, schema)])), { requiredKeys: [] });
  return fc
    .record({
      declared,
      extra: sometimes(fc.tuple(fc.string({ minLength: 1, maxLength: 12 }), hostileString)),
      raw: sometimes(rawQueryPart),
    })
    .map(({ declared, extra, raw }) => {
      const pairs = Object.entries(declared).flatMap(([name, values]) => (values ?? []).map((v) => `${encodeForUrl(name)}=${encodeForUrl(v)}`));
      if (extra) pairs.push(`${encodeForUrl(extra[0])}=${encodeForUrl(extra[1])}`);
      if (raw) pairs.push(raw);
      let query = '';
      for (const pair of pairs) if (query.length + pair.length < MAX_QUERY) query += `${query ? '&' : ''}${pair}`;
      return query;
    });
}

interface GeneratedBody {
  readonly shape: string;
  readonly contentType?: string;
  readonly text?: string;
}

const JSON_TYPE = 'application/json';

function declaredBody(contentType: string, schema: JsonSchema, sources: ValueSources): fc.Arbitrary<GeneratedBody> {
  if (!contentType.includes('json')) return textBody(contentType);
  const valid = schemaArbitrary(schema, sources);
  const fields = Object.keys((schema.properties ?? {}) as Record<string, unknown>);
  const required = Array.isArray(schema.required) ? (schema.required as string[]) : [];
  const json = (shape: string) => (value: unknown): GeneratedBody => ({ shape, contentType: JSON_TYPE, text: toJsonText(value) });
  const arbitraries: fc.WeightedArbitrary<GeneratedBody>[] = [
    { weight: 10, arbitrary: valid.map(json('schema-valid')) },
    { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 3 }).map(json('random JSON')) },
    { weight: 1, arbitrary: hostileValue.map(json('hostile JSON value')) },
    { weight: 1, arbitrary: malformedJson.map((text) => ({ shape: 'malformed JSON', contentType: JSON_TYPE, text })) },
    {
      weight: 1,
      arbitrary: fc.tuple(wrongContentType, valid).map(([type, value]) => ({ shape: 'wrong content type', ...(type !== undefined ? { contentType: type } : {}), text: toJsonText(value) })),
    },
    { weight: 1, arbitrary: fc.constantFrom<GeneratedBody>({ shape: 'no body' }, { shape: 'empty JSON body', contentType: JSON_TYPE, text: '' }) },
  ];
  if (fields.length > 0) {
    arbitraries.push(
      {
        weight: 4,
        arbitrary: fc.tuple(valid, fc.constantFrom(...fields), hostileValue).map(([value, field, bad]) => json(`field ${field} hostile`)(withField(value, field, bad))),
      },
      {
        weight: 2,
        arbitrary: fc.record(Object.fromEntries(fields.map((f) => [f, hostileValue])), { requiredKeys: [] }).map(json('every field hostile')),
      },
    );
  }
  if (required.length > 0) {
    arbitraries.push({
      weight: 1,
      arbitrary: fc.tuple(valid, fc.constantFrom(...required)).map(([value, field]) => json(`without ${field}`)(withoutField(value, field))),
    });
  }
  return fc.oneof(...arbitraries);
}

/** CSV and other text bodies: rows of hostile cells, under the declared type or another. */
function textBody(contentType: string): fc.Arbitrary<GeneratedBody> {
  const cell = fc.oneof(hostileString, fc.integer().map(String), fc.constantFrom('"', '""', '"a,b"', '=1+1', '\r', ''));
  const csv = fc.array(fc.array(cell, { minLength: 1, maxLength: 6 }), { maxLength: 8 }).map((rows) => rows.map((r) => r.join(',')).join('\n'));
  return fc.oneof(
    { weight: 4, arbitrary: csv.map((text) => ({ shape: `${contentType} rows`, contentType, text })) },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 200 }).map((text) => ({ shape: `${contentType} text`, contentType, text })) },
    { weight: 1, arbitrary: fc.tuple(wrongContentType, csv).map(([type, text]) => ({ shape: 'wrong content type', ...(type !== undefined ? { contentType: type } : {}), text })) },
    { weight: 1, arbitrary: fc.constant<GeneratedBody>({ shape: 'no body' }) },
  );
}

/** Operations that take no body: mostly none, sometimes one anyway. */
const undeclaredBody: fc.Arbitrary<GeneratedBody> = fc.oneof(
  { weight: 6, arbitrary: fc.constant<GeneratedBody>({ shape: 'no body' }) },
  { weight: 1, arbitrary: hostileValue.map((v) => ({ shape: 'unexpected JSON body', contentType: JSON_TYPE, text: toJsonText(v) })) },
  { weight: 1, arbitrary: fc.tuple(wrongContentType, malformedJson).map(([type, text]) => ({ shape: 'unexpected text body', ...(type !== undefined ? { contentType: type } : {}), text })) },
);

/** A value in about one request of eight, else undefined: enough requests stay valid to reach the handlers. */
function sometimes<T>(arbitrary: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> {
  return fc.oneof({ weight: 7, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary });
}

/** Percent-encoded, and cut (at a whole escape) to fit a URL. */
function encodeForUrl(value: string): string {
  const encoded = encodeSegment(value);
  return encoded.length <= MAX_URL_PART ? encoded : encoded.slice(0, MAX_URL_PART).replace(/%[0-9A-F]?$/, '');
}

function withField(value: unknown, field: string, bad: unknown): unknown {
  return isPlainObject(value) ? { ...value, [field]: bad } : { [field]: bad };
}

function withoutField(value: unknown, field: string): unknown {
  if (!isPlainObject(value)) return value;
  const { [field]: _dropped, ...rest } = value;
  return rest;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
