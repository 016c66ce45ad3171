/**
 * The canonical JSON of a value, as in RFC 8785 (JSON Canonicalization Scheme): object members
 * sorted by the UTF-16 code units of their names, no whitespace, strings and numbers written as
 * ECMAScript's JSON.stringify writes them. Two equal values always give the same text, whatever
 * order their keys were built or stored in (jsonb reorders keys).
 */
export function canonicalJson(value: unknown): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError('canonical JSON has no encoding for NaN or Infinity');
      return JSON.stringify(value);
    case 'object': {
      if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
      if (value instanceof Date) return JSON.stringify(value.toISOString());
      const prototype = Object.getPrototypeOf(value) as unknown;
      if (prototype !== Object.prototype && prototype !== null) {
        throw new TypeError(`canonical JSON takes plain objects only, not ${(value as object).constructor?.name ?? 'this object'}`);
      }
      const members = Object.entries(value as Record<string, unknown>)
        .filter(([, v]) => v !== undefined)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`);
      return `{${members.join(',')}}`;
    }
    default:
      throw new TypeError(`canonical JSON has no encoding for a ${typeof value}`);
  }
}
