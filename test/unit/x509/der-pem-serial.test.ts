import { expect } from 'chai';
import fc from 'fast-check';
import { decodeOid, encodeDer, encodeDerInteger, encodeDerOid, isPem, normaliseSerial, pemBlocksOf, randomSerial, readPemBlocks, toPem, PEM_CRL } from '../../../shared/x509/index.js';

describe('x509: DER, PEM and serial helpers', () => {
  it('round-trips OIDs, including a 128-bit UUID arc under 2.25', () => {
    for (const oid of ['1.2.840.10045.4.3.2', '2.5.29.32', '2.16.840.1.101.3.6.8', '2.25.37817403901354048456680238027051593416.1.2']) {
      const der = encodeDerOid(oid);
      expect(der[0]).to.equal(0x06);
      expect(decodeOid(der.subarray(2))).to.equal(oid);
    }
    // X.690 §8.19.4: 2.999 -> first subidentifier 1079 = 0x88 0x37
    expect(Buffer.from(encodeDerOid('2.999.3')).toString('hex')).to.equal('0603883703');
  });

  it('encodes non-negative INTEGERs minimally, with a sign byte when the top bit is set', () => {
    const hex = (n: bigint) => Buffer.from(encodeDerInteger(n)).toString('hex');
    expect(hex(0n)).to.equal('020100');
    expect(hex(127n)).to.equal('02017f');
    expect(hex(128n)).to.equal('02020080');
    expect(hex(256n)).to.equal('02020100');
    expect(() => encodeDerInteger(-1n)).to.throw(RangeError);
  });

  it('uses the long length form above 127 bytes', () => {
    const long = encodeDer(0x04, new Uint8Array(300));
    expect(Buffer.from(long.subarray(0, 4)).toString('hex')).to.equal('0482012c');
  });

  it('writes PEM with 64-character lines and reads every block back in order', () => {
    const a = Uint8Array.from({ length: 100 }, (_, i) => i);
    const b = Uint8Array.from([9, 8, 7]);
    const text = `junk before\n${toPem(a, 'CERTIFICATE')}between\n${toPem(b, PEM_CRL)}`;
    expect(toPem(a, 'CERTIFICATE').split('\n')[1]).to.have.length(64);
    const blocks = readPemBlocks(text);
    expect(blocks.map((x) => x.label)).to.deep.equal(['CERTIFICATE', 'X509 CRL']);
    expect(Buffer.from(blocks[0]!.der).equals(Buffer.from(a))).to.equal(true);
    expect(pemBlocksOf(text, 'X509 CRL')).to.have.length(1);
    expect(isPem(text)).to.equal(false);
    expect(isPem(toPem(b, 'X509 CRL'))).to.equal(true);
    expect(isPem(Uint8Array.from([0x30, 0x82]))).to.equal(false);
  });

  it('normalises serials from any library to lower-case hex without leading zeros', () => {
    expect(normaliseSerial('00FF01')).to.equal('ff01');
    expect(normaliseSerial('4A:01')).to.equal('4a01');
    expect(normaliseSerial('0000')).to.equal('0');
  });

  it('makes positive 128-bit serials of 32 hex digits that survive normalisation', () => {
    fc.assert(
      fc.property(fc.constant(null), () => {
        const serial = randomSerial();
        expect(serial).to.match(/^[4-7][0-9a-f]{31}$/);
        expect(normaliseSerial(serial)).to.equal(serial);
      }),
      { numRuns: 200 },
    );
  });
});
