import { expect } from 'chai';
import { TesseraError } from '../../../shared/errors/index.js';
import { compileValidator, type RequestPart } from '../../../shared/http/validators.js';
import type { JsonSchema } from '../../../shared/http/json-schema.js';

/** The field errors a value gets, or [] when it passes. */
function errorsOf(part: RequestPart, schema: JsonSchema, value: unknown): unknown[] {
  try {
    compileValidator(part, schema)(value);
    return [];
  } catch (error) {
    expect(error).to.be.instanceOf(TesseraError);
    expect((error as TesseraError).code).to.equal('ERR_VALIDATION');
    return (error as TesseraError).extensions.errors as unknown[];
  }
}

// These rules came from the API fuzz (test/integration/platform/api-fuzz.test.ts): each value was a 500 from PostgreSQL.
describe('request validators: values the database cannot store are the client’s mistake', () => {
  const anyJson = { type: 'object', additionalProperties: true } as const;

  it('refuses U+0000 in a string or a key, anywhere in body, query or path, naming where', () => {
    expect(errorsOf('body', anyJson, { a: [{ b: 'x\u0000y' }] })).to.deep.equal([{ in: 'body', pointer: '/a/0/b', message: 'must not contain the NUL character (U+0000)' }]);
    expect(errorsOf('body', anyJson, { 'k\u0000': 1 })).to.deep.equal([{ in: 'body', pointer: '/k\u0000', message: 'must not contain the NUL character (U+0000)' }]);
    expect(errorsOf('query', anyJson, { q: '\u0000' })).to.have.length(1);
    expect(errorsOf('params', anyJson, { id: 'a\u0000' })).to.have.length(1);
    expect(errorsOf('body', anyJson, { a: 'text with \\u0000 written out, and U+2400 ␀' })).to.deep.equal([]);
  });

  it('refuses an unpaired surrogate (jsonb cannot hold it), and takes a paired one', () => {
    const message = 'must be well-formed Unicode (an unpaired surrogate is not a character)';
    expect(errorsOf('body', anyJson, { reason: 'drill \udfff\ud800' })).to.deep.equal([{ in: 'body', pointer: '/reason', message }]);
    expect(errorsOf('body', anyJson, { ['\ud800']: 'x' })).to.deep.equal([{ in: 'body', pointer: '/\ud800', message }]);
    expect(errorsOf('query', anyJson, { q: 'a\udc00' })).to.have.length(1);
    expect(errorsOf('body', anyJson, { reason: 'drill 🚨 \ud83d\udea8' })).to.deep.equal([]);
  });

  it('reports a NUL beside the schema errors, and walks a deeply nested body without overflowing the stack', () => {
    const schema = { type: 'object', additionalProperties: false, required: ['name'], properties: { name: { type: 'string' } } } as const;
    expect(errorsOf('body', schema, { name: '\u0000', extra: 1 })).to.have.length(2);
    let deep: unknown = '\u0000';
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(errorsOf('body', anyJson, { deep })).to.have.length(1);
  });

  it('leaves a text body (CSV) to its route, which can say why a file is full of NULs', () => {
    expect(errorsOf('body', { type: 'string' }, 'a,b\u0000')).to.deep.equal([]);
  });

  it('takes as a date only a calendar date PostgreSQL can hold', () => {
    const date = { type: 'string', format: 'date' } as const;
    for (const good of ['0001-01-01', '2024-02-29', '2026-12-31', '9999-12-31']) expect(errorsOf('body', date, good), good).to.deep.equal([]);
    for (const bad of ['0000-01-01', '2023-02-29', '2026-02-30', '2026-13-01', '2026-00-10', '2026-01-00', '2026-1-01', '2026-01-01T00:00:00Z']) {
      expect(errorsOf('body', date, bad), bad).to.have.length(1);
    }
  });

  it('takes as a date-time only an instant JavaScript can hold, from year 1 on', () => {
    const dateTime = { type: 'string', format: 'date-time' } as const;
    for (const good of ['2026-11-22T05:00:00Z', '2026-11-22T05:00:00.123+01:00', '0001-01-01T00:00:00Z', '9999-12-31T23:59:59.999Z']) {
      expect(errorsOf('query', dateTime, good), good).to.deep.equal([]);
    }
    for (const bad of ['2016-12-31T23:59:60Z', '0000-01-01T00:00:00Z', '2026-02-30T00:00:00Z', '2026-11-22', '2026-11-22T25:00:00Z']) {
      expect(errorsOf('query', dateTime, bad), bad).to.have.length(1);
    }
  });
});
