import { expect } from 'chai';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { encodeTapForSigning, tapDigest } from '../../../shared/taps/index.js';

/** The worked example of docs/tap-protocol.md: a third party's encoder must produce exactly these bytes. */
const example = {
  challenge: Buffer.from(Array.from({ length: 32 }, (_, i) => i)),
  readerId: '3f2b6c1e-8d4a-4e7b-9c0d-5a6b7c8d9e0f',
  purpose: 'till.purchase',
  target: 'Canteen till 2',
  payload: Buffer.from('{"amount":250}'),
};
const exampleHex =
  '544553534552412d544150010020000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f00103f2b6c1e8d4a4e7b9c0d5a6b7c8d9e0f000d74696c6c2e7075726368617365000e43616e7465656e2074696c6c203200204c32897ff38b388b5111c1232c47ba1d94e64dd3ed4488fe22e2d19f32d521e3';
const exampleDigest = '50c272074d8471dff54f1b74230b94e6a313d236ab896148301c63622ed91d39';

describe('auth: the canonical tap encoding', () => {
  it('matches the worked example, byte for byte, and the documentation shows the same bytes', () => {
    expect(encodeTapForSigning(example).toString('hex')).to.equal(exampleHex);
    expect(tapDigest(example).toString('hex')).to.equal(exampleDigest);
    const doc = readFileSync(new URL('../../../docs/tap-protocol.md', import.meta.url), 'utf8').replace(/\s+/g, '');
    expect(doc).to.contain(exampleHex);
    expect(doc).to.contain(exampleDigest);
  });

  it('starts with the domain tag and version, and hashes an absent payload as zero bytes', () => {
    const bytes = encodeTapForSigning({ ...example, payload: new Uint8Array(0) });
    expect(bytes.subarray(0, 12).toString('latin1')).to.equal('TESSERA-TAP\x01');
    expect(bytes.subarray(-32).toString('hex')).to.equal('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });

  it('never encodes two different taps to the same bytes (moving text between purpose and target included)', () => {
    const text = fc.string({ maxLength: 20 });
    fc.assert(
      fc.property(text, text, text, text, fc.uint8Array({ maxLength: 8 }), fc.uint8Array({ maxLength: 8 }), (p1, t1, p2, t2, d1, d2) => {
        fc.pre(p1 !== p2 || t1 !== t2 || Buffer.compare(Buffer.from(d1), Buffer.from(d2)) !== 0);
        const a = encodeTapForSigning({ ...example, purpose: p1, target: t1, payload: d1 });
        const b = encodeTapForSigning({ ...example, purpose: p2, target: t2, payload: d2 });
        return !a.equals(b);
      }),
    );
  });

  it('refuses a challenge of the wrong length and a reader id that is not a UUID', () => {
    expect(() => encodeTapForSigning({ ...example, challenge: Buffer.alloc(31) })).to.throw(RangeError);
    expect(() => encodeTapForSigning({ ...example, readerId: 'reader-1' })).to.throw(RangeError);
  });
});
