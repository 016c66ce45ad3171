import fc from 'fast-check';
import type { JsonSchema } from '../../../../shared/http/json-schema.js';

/** Deep enough for every request schema the platform declares; deeper parts become any JSON. */
const MAX_DEPTH = 6;

/**
 * Values that a JSON schema accepts, or nearly: enough of them get past validation to reach the
 * handlers, where the interesting failures live. Not a full JSON Schema generator on purpose:
 * keywords it does not know are ignored, and the server's own validator has the last word.
 */
export interface SchemaArbitraryOptions {
  /** Where uuid-format strings come from, by the name of the field or parameter; by default fresh random ones. */
  readonly uuid?: (name: string) => fc.Arbitrary<string>;
  /** Strings the server has answered under a field name (live), tried beside generated ones: a currency it holds, a code it knows. */
  readonly seen?: (name: string) => readonly string[];
}

export function schemaArbitrary(schema: JsonSchema | undefined, options: SchemaArbitraryOptions = {}, name = '', depth = 0): fc.Arbitrary<unknown> {
  if (!schema || depth > MAX_DEPTH) return fc.jsonValue({ maxDepth: 2 });
  if ('const' in schema) return fc.constant(schema.const);
  if (Array.isArray(schema.enum)) return fc.constantFrom(...(schema.enum as unknown[]));
  const alternatives = [...listOf(schema.anyOf), ...listOf(schema.oneOf), ...listOf(schema.allOf)];
  if (alternatives.length > 0) return fc.oneof(...alternatives.map((s) => schemaArbitrary(s, options, name, depth + 1)));
  const types = Array.isArray(schema.type) ? (schema.type as string[]) : typeof schema.type === 'string' ? [schema.type] : [];
  if (types.length === 0) return 'properties' in schema ? objectArbitrary(schema, options, depth) : fc.jsonValue({ maxDepth: 2 });
  const byType = types.map((type) => typedArbitrary(type, schema, options, name, depth));
  const withExample = 'example' in schema ? [fc.constant(schema.example), ...byType] : byType;
  return withExample.length === 1 ? withExample[0]! : fc.oneof(...withExample);
}

function typedArbitrary(type: string, schema: JsonSchema, options: SchemaArbitraryOptions, name: string, depth: number): fc.Arbitrary<unknown> {
  switch (type) {
    case 'string':
      return withSeen(stringArbitrary(schema, options, name), options, name);
    case 'integer':
      return numberArbitrary(schema, true);
    case 'number':
      return numberArbitrary(schema, false);
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array':
      return fc.array(schemaArbitrary(schema.items as JsonSchema | undefined, options, name, depth + 1), {
        minLength: numberOr(schema.minItems, 0),
        maxLength: Math.min(numberOr(schema.maxItems, 4), numberOr(schema.minItems, 0) + 4),
      });
    case 'object':
      return objectArbitrary(schema, options, depth);
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}

function objectArbitrary(schema: JsonSchema, options: SchemaArbitraryOptions, depth: number): fc.Arbitrary<unknown> {
  const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
  const model = Object.fromEntries(Object.entries(properties).map(([field, property]) => [field, schemaArbitrary(property, options, field, depth + 1)]));
  const required = (Array.isArray(schema.required) ? (schema.required as unknown[]) : []).filter((name): name is string => typeof name === 'string' && name in model);
  return fc.record(model, { requiredKeys: required });
}

function stringArbitrary(schema: JsonSchema, options: SchemaArbitraryOptions, name: string): fc.Arbitrary<string> {
  const minLength = numberOr(schema.minLength, 0);
  const maxLength = Math.max(minLength, Math.min(numberOr(schema.maxLength, 40), minLength + 40));
  const formatted = schema.format === 'uuid' && options.uuid ? options.uuid(name) : formatArbitrary(schema.format);
  if (formatted) return formatted;
  if (typeof schema.pattern === 'string') {
    try {
      // ajv tests patterns with the u flag, unanchored; a value longer than allowed is cut, and may then fail (still a fine input).
      return fc.stringMatching(new RegExp(schema.pattern, 'u')).map((s) => [...s].slice(0, numberOr(schema.maxLength, Infinity)).join(''));
    } catch {
      // A pattern fast-check cannot generate from: plain strings instead.
    }
  }
  return fc.oneof(fc.string({ minLength, maxLength }), fc.string({ unit: 'binary', minLength, maxLength }));
}

function formatArbitrary(format: unknown): fc.Arbitrary<string> | undefined {
  const moment = fc.date({ noInvalidDate: true, min: new Date('1970-01-01T00:00:00Z'), max: new Date('2100-01-01T00:00:00Z') });
  switch (format) {
    case 'uuid':
      return fc.uuid();
    case 'date':
      // Now and then a date at the edge of what a database or a Date can hold.
      return fc.oneof({ weight: 4, arbitrary: moment.map((d) => d.toISOString().slice(0, 10)) }, { weight: 1, arbitrary: fc.constantFrom('0000-01-01', '0001-01-01', '9999-12-31', '2024-02-29') });
    case 'date-time':
      return fc.oneof(
        { weight: 4, arbitrary: moment.map((d) => d.toISOString()) },
        { weight: 1, arbitrary: fc.constantFrom('0000-01-01T00:00:00Z', '0001-01-01T00:00:00Z', '9999-12-31T23:59:59.999Z', '2016-12-31T23:59:60Z', '2024-02-29T12:00:00+14:00', '2024-01-01t00:00:00z') },
      );
    case 'email':
      return fc.emailAddress();
    case 'iana-time-zone':
      return fc.constantFrom('Europe/London', 'UTC', 'America/New_York', 'Etc/GMT+12', 'Not/AZone');
    default:
      return undefined;
  }
}

/** Mostly a string the server answered under this field name, where it has answered one. */
function withSeen(generated: fc.Arbitrary<string>, options: SchemaArbitraryOptions, name: string): fc.Arbitrary<string> {
  const { seen } = options;
  if (!seen || !name) return generated;
  const fromAnswers = fc.tuple(fc.nat(), generated).map(([i, fallback]) => {
    const values = seen(name);
    return values.length > 0 ? values[i % values.length]! : fallback;
  });
  return fc.oneof({ weight: 1, arbitrary: generated }, { weight: 2, arbitrary: fromAnswers });
}

function numberArbitrary(schema: JsonSchema, integer: boolean): fc.Arbitrary<number> {
  const min = numberOr(schema.minimum, numberOr(schema.exclusiveMinimum, -1_000_000) + (integer ? 1 : 0));
  const max = numberOr(schema.maximum, numberOr(schema.exclusiveMaximum, 1_000_000) - (integer ? 1 : 0));
  if (integer) {
    const low = Math.max(Math.ceil(min), Number.MIN_SAFE_INTEGER);
    const high = Math.max(low, Math.min(Math.floor(max), Number.MAX_SAFE_INTEGER));
    // Mostly small values near the bottom of the range (amounts, limits), now and then anywhere in it.
    return fc.oneof(fc.integer({ min: low, max: Math.min(high, low + 5000) }), fc.maxSafeInteger().map((n) => low + (Math.abs(n) % (high - low + 1))));
  }
  return fc.double({ min, max, noNaN: true, noDefaultInfinity: true });
}

function listOf(value: unknown): JsonSchema[] {
  return Array.isArray(value) ? (value as JsonSchema[]) : [];
}

function numberOr(value: unknown, fallback: number): number {
  return typeof value === 'number' ? value : fallback;
}
