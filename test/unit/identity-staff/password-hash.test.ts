import { expect } from 'chai';
import { hashPassword, needsRehash, parsePasswordHash, verifyPassword, CURRENT_SCRYPT } from '../../../services/identity/staff/password-hash.js';
import { generatePassword, passwordProblems } from '../../../services/identity/staff/password-rules.js';

/** Cheap parameters keep the suite fast; one test uses the real ones. */
const FAST = { logN: 10, r: 8, p: 1 };

describe('staff password hashing (scrypt)', () => {
  it('verifies the right password and rejects a wrong one, with the current parameters', async () => {
    const encoded = await hashPassword('correct horse battery staple');
    expect(encoded).to.match(/^\$scrypt\$ln=15,r=8,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/);
    expect(await verifyPassword('correct horse battery staple', encoded)).to.equal(true);
    expect(await verifyPassword('correct horse battery stapler', encoded)).to.equal(false);
  });

  it('salts every hash', async () => {
    const [a, b] = await Promise.all([hashPassword('same password here', FAST), hashPassword('same password here', FAST)]);
    expect(a).to.not.equal(b);
    expect(parsePasswordHash(a).salt).to.have.length(16);
  });

  it('keeps its parameters in the hash, so older hashes still verify and are flagged for re-hashing', async () => {
    const weak = await hashPassword('an older password', FAST);
    expect(parsePasswordHash(weak).parameters).to.deep.equal(FAST);
    expect(await verifyPassword('an older password', weak)).to.equal(true);
    expect(needsRehash(weak)).to.equal(true);
    expect(needsRehash(weak, FAST)).to.equal(false);
    expect(needsRehash(await hashPassword('x'.repeat(12), CURRENT_SCRYPT))).to.equal(false);
  });

  it('normalises Unicode (NFKC) so the same password typed differently matches', async () => {
    const composed = 'caf\u00e9-password-1';
    const decomposed = 'cafe\u0301-password-1';
    expect(await verifyPassword(decomposed, await hashPassword(composed, FAST))).to.equal(true);
  });

  it('refuses malformed or out-of-bounds stored hashes instead of guessing', () => {
    expect(() => parsePasswordHash('plaintext')).to.throw(/not a Tessera scrypt/);
    expect(() => parsePasswordHash('$scrypt$ln=30,r=8,p=1$AAAAAAAAAAAAAAAAAAAAAA$AAAA')).to.throw(/out of bounds/);
  });
});

describe('staff password rules', () => {
  it('needs at least 12 characters and not the username', () => {
    expect(passwordProblems('short-pass1', 'alice')).to.deep.equal(['must be at least 12 characters']);
    expect(passwordProblems('twelve chars', 'alice')).to.deep.equal([]);
    expect(passwordProblems('Reception.Desk', 'reception.desk')).to.deep.equal(['must not be the username']);
    expect(passwordProblems('x'.repeat(1025), 'alice')).to.deep.equal(['must be at most 1024 characters']);
  });

  it('generates passwords that meet the rules and differ', () => {
    const a = generatePassword();
    const b = generatePassword();
    expect(a).to.match(/^[a-zA-Z2-9]{5}(-[a-zA-Z2-9]{5}){3}$/);
    expect(a).to.not.equal(b);
    expect(passwordProblems(a, 'alice')).to.deep.equal([]);
  });
});
