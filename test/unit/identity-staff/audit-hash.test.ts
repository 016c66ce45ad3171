import { expect } from 'chai';
import fc from 'fast-check';
import { assertNoSecrets, auditHash, canonicalJson, GENESIS_HASH } from '../../../shared/audit/index.js';

describe('audit chain canonical encoding', () => {
  it('sorts keys at every depth and writes no whitespace', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: true, y: null }], c: 'x' } })).to.equal(
      '{"a":{"c":"x","d":[3,{"y":null,"z":true}]},"b":1}',
    );
  });

  it('drops undefined members, as JSON (and jsonb) would', () => {
    expect(canonicalJson({ a: undefined, b: 2 })).to.equal('{"b":2}');
  });

  it('refuses values JSON cannot carry', () => {
    expect(() => canonicalJson({ a: Number.NaN })).to.throw(/NaN/);
    expect(() => canonicalJson({ a: 1n })).to.throw(/bigint/);
    expect(() => canonicalJson({ a: new Map() })).to.throw(/plain objects/);
  });

  it('gives the same text whatever order the keys were inserted in', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), (object) => {
        const reversed = Object.fromEntries(Object.entries(object).reverse());
        expect(canonicalJson(reversed)).to.equal(canonicalJson(object));
        // And it is valid JSON for the same value.
        expect(JSON.parse(canonicalJson(object))).to.deep.equal(JSON.parse(JSON.stringify(object)));
      }),
    );
  });

  it('hashes the documented record (known answer computed with sha256sum)', () => {
    // printf 'tessera.audit.v1\n{"action":"staff.create",...}' | sha256sum; see docs/staff-and-audit.md
    const hash = auditHash({
      seq: 1,
      at: new Date('2026-11-21T10:00:00.000Z'),
      actor: { kind: 'cli', id: 'cli:ops' },
      action: 'staff.create',
      subject: { kind: 'staff', id: '8d0f6f0e-4a57-4b8e-9a53-0f3a1a4b9c11' },
      details: { username: 'alice', roles: ['admin'] },
      prevHash: GENESIS_HASH,
    });
    expect(hash).to.equal('d06f3352c92ebfb0f287003352cd82d354d969a1cb7aecbf9df0f15b5c6bb0aa');
  });

  it('changes when any hashed field changes', () => {
    const base = {
      seq: 7,
      at: new Date('2026-11-21T10:00:00.000Z'),
      actor: { kind: 'staff' as const, id: 'a' },
      action: 'staff.update',
      subject: { kind: 'staff', id: 'b' },
      details: { displayName: { from: 'A', to: 'B' } },
      prevHash: 'f'.repeat(64),
    };
    const original = auditHash(base);
    const variants = [
      { ...base, seq: 8 },
      { ...base, at: new Date('2026-11-21T10:00:00.001Z') },
      { ...base, actor: { kind: 'staff' as const, id: 'c' } },
      { ...base, actor: { kind: 'cli' as const, id: 'a' } },
      { ...base, action: 'staff.disable' },
      { ...base, subject: { kind: 'staff', id: 'c' } },
      { ...base, subject: null },
      { ...base, details: { displayName: { from: 'A', to: 'C' } } },
      { ...base, prevHash: 'e'.repeat(64) },
    ];
    for (const variant of variants) expect(auditHash(variant)).to.not.equal(original);
  });
});

describe('audit details secret guard', () => {
  it('refuses keys that name a secret, at any depth', () => {
    expect(() => assertNoSecrets({ password: 'x' })).to.throw(/details\.password/);
    expect(() => assertNoSecrets({ changes: { newPin: '123456' } })).to.throw(/details\.changes\.newPin/);
    expect(() => assertNoSecrets({ list: [{ session_token: 'x' }] })).to.throw(/details\.list\[0\]\.session_token/);
    expect(() => assertNoSecrets({ managementKey: 'x' })).to.throw();
  });

  it('lets ordinary facts through', () => {
    expect(() => assertNoSecrets({ username: 'a', roles: ['admin'], reason: 'wrong-password', pinBlocked: true })).to.not.throw();
  });
});
