import fc from 'fast-check';

/**
 * What a careless or hostile client sends: each list is the edge a server is known to trip on
 * (database limits, decoders, parsers), beside fast-check's own random values.
 */

/** Marks JSON text to splice into a body verbatim: numbers JSON.stringify cannot write (1e400, -0). */
const RAW = '\u0001RAW\u0001';
const raw = (text: string) => `${RAW}${text}`;

/** JSON text for a value, with `raw(...)` markers spliced in as they are. */
export function toJsonText(value: unknown): string {
  return JSON.stringify(value).replace(/"\\u0001RAW\\u0001([^"\\]*)"/g, '$1');
}

export const hostileString: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    '',
    ' ',
    '\u0000',
    'a\u0000b',
    '\ud800',
    '\udfff\ud800',
    '\u202e',
    '\ufeff',
    '💳🧾',
    'e\u0301',
    'ℌ𝔢𝔩𝔩𝔬',
    'null',
    'undefined',
    'true',
    '0',
    '-1',
    '1e309',
    'NaN',
    '2024-02-30',
    '0000-00-00T00:00:00Z',
    '0000-01-01',
    '2016-12-31T23:59:60Z',
    '9999-12-31T23:59:59.999Z',
    '../../../../etc/passwd',
    '..\\..\\windows\\win.ini',
    "' OR 1=1 --",
    '"; drop table ledger_transfers; --',
    '%s%s%n',
    '${jndi:ldap://x}',
    '<script>alert(1)</script>',
    '__proto__',
    'constructor',
    '00000000-0000-0000-0000-000000000000',
    'ffffffff-ffff-ffff-ffff-ffffffffffff',
    '-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----',
    'tsr1.00000000-0000-0000-0000-000000000000.secret',
  ),
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom(300, 5000, 100_000).map((n) => 'é'.repeat(n)),
);

export const hostileNumber: fc.Arbitrary<number | string> = fc.oneof(
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.constantFrom(-1, 0, 0.5, -0.5, 2 ** 31 - 1, 2 ** 31, -(2 ** 31) - 1, 2 ** 53, 2 ** 53 + 2, 2 ** 63, 1e21, 1e308, -1e308, 5e-324),
  fc.constantFrom(raw('1e400'), raw('-1e400'), raw('-0'), raw('1.0'), raw('1E2'), raw('123456789012345678901234567890')),
);

/** Any JSON value, leaning towards the hostile ones; `raw` markers need toJsonText. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: hostileString },
  { weight: 2, arbitrary: hostileNumber },
  { weight: 1, arbitrary: fc.constantFrom(null, true, false, [], {}, [null], { '': null }, { __proto__: null, constructor: { prototype: 1 } }) },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  { weight: 1, arbitrary: fc.constantFrom(3000, 25_000).map((depth) => raw(`${'['.repeat(depth)}${']'.repeat(depth)}`)) },
);

/** Path segments sent as they are (ASCII only, as HTTP requires): traversal, bad encodings, edge ids. */
export const rawPathSegment: fc.Arbitrary<string> = fc.constantFrom(
  'not-a-uuid',
  '00000000-0000-0000-0000-000000000000',
  'FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF',
  '0e5b2d3a-1f2c-4c3b-9a1d-2b3c4d5e6f7g',
  '0e5b2d3a-1f2c-4c3b-9a1d-2b3c4d5e6f70x',
  '{0e5b2d3a-1f2c-4c3b-9a1d-2b3c4d5e6f70}',
  '.',
  '..',
  '...',
  '../..',
  '../../../etc/passwd',
  '..%2F..%2F..%2Fetc%2Fpasswd',
  '%2e%2e',
  '%2e%2e%2f%2e%2e%2f',
  '..%5c..%5cwindows',
  '%252e%252e%252f',
  '%00',
  '%',
  '%zz',
  '%C0%AE%C0%AE',
  '%ED%A0%80',
  '%FF%FE',
  '%E2%80%AE',
  '%F0%9F%92%B3',
  'self',
  'current',
  '-1',
  '0',
  '1e309',
  '99999999999999999999',
  'null',
  "'%20OR%201=1--",
  '__proto__',
  'a'.repeat(3000),
  ';',
  '*',
);

/** A string as one percent-encoded path segment (lone surrogates become U+FFFD, as in UTF-8). */
export function encodeSegment(value: string): string {
  return [...Buffer.from(value, 'utf8')].map((byte) => (/[A-Za-z0-9\-._~]/.test(String.fromCharCode(byte)) ? String.fromCharCode(byte) : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`)).join('');
}

/** Query text that parsers disagree about. */
export const rawQueryPart: fc.Arbitrary<string> = fc.constantFrom(
  'a[b]=1',
  'a[]=1&a[]=2',
  '=x',
  '&&',
  '%zz=1',
  'x=%zz',
  '__proto__[polluted]=1',
  'constructor[prototype][x]=1',
  'limit=1&limit=2',
  'cursor=%00',
  `q=${'a'.repeat(4000)}`,
);

/** Body media types other than the declared one, and broken variants of JSON's. */
export const wrongContentType: fc.Arbitrary<string | undefined> = fc.constantFrom(
  undefined,
  '',
  'text/plain',
  'text/csv',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=xyz',
  'application/octet-stream',
  'application/json; charset=utf-16',
  'application/json; charset=latin1',
  'application/json; charset=nope',
  'application/merge-patch+json',
  'application/jsonx',
  'json',
  '*/*',
);

/** Text that is not JSON, or not quite. */
export const malformedJson: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('', '{', '{"a":', '{"a":1,}', "{'a':1}", '[1,2', 'nul', 'NaN', '{"a":01}', '{"a":"\\x41"}', '{"a":"\u0000"}', '\ufeff{}', '{"a":1}{"b":2}', '{"__proto__":{"x":1}}', '{"a":"\\ud800"}'),
  fc.string({ maxLength: 60 }),
  fc.jsonValue().map((v) => JSON.stringify(v) ?? '').map((text) => text.slice(0, Math.max(0, text.length - 1))),
);

/** Authorization headers that are not a valid credential of any kind. */
export const bogusAuthorization: fc.Arbitrary<string | undefined> = fc.constantFrom(
  undefined,
  '',
  'Bearer',
  'Bearer ',
  'Bearer x',
  'Basic YWRtaW46YWRtaW4=',
  `Bearer ${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${Buffer.from('{"sub":"root","roles":["admin"]}').toString('base64url')}.`,
  'Bearer eyJhbGciOiJFUzI1NiJ9.e30.AAAA',
  'Bearer tsr1.00000000-0000-0000-0000-000000000000.c2VjcmV0',
  'Bearer tsr1.not-a-uuid.',
  `Bearer ${'a'.repeat(4000)}`,
);
