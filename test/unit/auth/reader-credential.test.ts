import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import { hashSecret, mintReaderCredential, parseReaderCredential, secretMatches } from '../../../services/auth/readers/reader-credential.js';

describe('auth: reader credentials', () => {
  it('mints tsr1.<id>.<secret> whose secret matches the stored SHA-256 and nothing else', () => {
    const id = randomUUID();
    const { credential, hash } = mintReaderCredential(id);
    const parsed = parseReaderCredential(credential)!;
    expect(parsed.readerId).to.equal(id);
    expect(secretMatches(parsed.secret, hash)).to.equal(true);
    expect(hash.equals(hashSecret(parsed.secret))).to.equal(true);
    const other = mintReaderCredential(id);
    expect(secretMatches(parseReaderCredential(other.credential)!.secret, hash)).to.equal(false);
    expect(secretMatches(parsed.secret, null)).to.equal(false);
  });

  it('refuses anything that is not a credential', () => {
    for (const text of ['', 'tsr1', `tsr2.${randomUUID()}.${'A'.repeat(43)}`, `tsr1.${randomUUID()}.${'A'.repeat(42)}`, `tsr1.not-a-uuid.${'A'.repeat(43)}`, `tsr1.${randomUUID()}.${'A'.repeat(43)} `]) {
      expect(parseReaderCredential(text), text).to.equal(undefined);
    }
  });
});
