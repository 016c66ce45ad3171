import { expect } from 'chai';
import fc from 'fast-check';
import { ApduFormatError, encodeCommandApdu, fromHex, parseCommandApdu, toHex, tryParseCommandApdu } from '../../../shared/apdu/index.js';

describe('command APDU codec (ISO 7816-4 §5.1)', () => {
  it('parses case 1 (header only)', () => {
    const c = parseCommandApdu(fromHex('00200080'));
    expect(c).to.deep.include({ cla: 0, ins: 0x20, p1: 0, p2: 0x80, ne: null, extended: false });
    expect(c.data.length).to.equal(0);
  });

  it('parses case 2 short, Le=00 meaning 256', () => {
    expect(parseCommandApdu(fromHex('00C0000000')).ne).to.equal(256);
    expect(parseCommandApdu(fromHex('00C0000008')).ne).to.equal(8);
  });

  it('parses case 3 short (libykpiv sends no Le)', () => {
    const c = parseCommandApdu(fromHex('00CB3FFF055C035FC102'));
    expect(toHex(c.data)).to.equal('5C035FC102');
    expect(c.ne).to.equal(null);
  });

  it('parses case 4 short', () => {
    const c = parseCommandApdu(fromHex('00CB3FFF035C017E08'));
    expect(toHex(c.data)).to.equal('5C017E');
    expect(c.ne).to.equal(8);
  });

  it('parses extended cases 2E, 3E and 4E', () => {
    expect(parseCommandApdu(fromHex('00C00000000000'))).to.deep.include({ ne: 65536, extended: true });
    expect(parseCommandApdu(fromHex('00C00000000100'))).to.deep.include({ ne: 256, extended: true });
    const c3 = parseCommandApdu(fromHex('00DB3FFF000003AABBCC'));
    expect(toHex(c3.data)).to.equal('AABBCC');
    expect(c3.ne).to.equal(null);
    const c4 = parseCommandApdu(fromHex('00DB3FFF000003AABBCC0010'));
    expect(c4.ne).to.equal(16);
  });

  it('rejects a short header, a wrong Lc and a zero extended Lc with typed errors', () => {
    for (const [hex, code] of [
      ['002000', 'ERR_APDU_TOO_SHORT'],
      ['00200080050102', 'ERR_APDU_LENGTH_MISMATCH'],
      ['0020008002010203AA', 'ERR_APDU_LENGTH_MISMATCH'],
      ['002000800000', 'ERR_APDU_LENGTH_MISMATCH'],
      ['00200080000000AA', 'ERR_APDU_LENGTH_MISMATCH'],
      ['0020008000000301', 'ERR_APDU_LENGTH_MISMATCH'],
    ] as const) {
      expect(() => parseCommandApdu(fromHex(hex)), hex).to.throw(ApduFormatError).with.property('code', code);
      expect(tryParseCommandApdu(fromHex(hex))).to.equal(undefined);
    }
  });

  it('encodes short forms and switches to extended when needed', () => {
    expect(toHex(encodeCommandApdu({ ins: 0x20, p1: 0, p2: 0x80 }))).to.equal('00200080');
    expect(toHex(encodeCommandApdu({ ins: 0xc0, p1: 0, p2: 0, ne: 256 }))).to.equal('00C0000000');
    expect(toHex(encodeCommandApdu({ ins: 0xcb, p1: 0x3f, p2: 0xff, data: fromHex('5C017E'), ne: 8 }))).to.equal('00CB3FFF035C017E08');
    const long = encodeCommandApdu({ ins: 0xdb, p1: 0x3f, p2: 0xff, data: new Uint8Array(300) });
    expect(toHex(long.subarray(0, 7))).to.equal('00DB3FFF00012C');
    expect(toHex(encodeCommandApdu({ ins: 0xc0, p1: 0, p2: 0, ne: 65536 }))).to.equal('00C00000000000');
    expect(toHex(encodeCommandApdu({ cla: 0x10, ins: 0x87, p1: 7, p2: 0x9a, data: fromHex('01') }, { extended: true }))).to.equal('1087079A00000101');
  });

  it('refuses out-of-range fields', () => {
    expect(() => encodeCommandApdu({ ins: 256, p1: 0, p2: 0 })).to.throw(ApduFormatError).with.property('code', 'ERR_APDU_FIELD_RANGE');
    expect(() => encodeCommandApdu({ ins: 0, p1: 0, p2: 0, ne: 0 })).to.throw(ApduFormatError);
    expect(() => encodeCommandApdu({ ins: 0, p1: 0, p2: 0, data: new Uint8Array(65536) })).to.throw(ApduFormatError);
  });

  it('round-trips any command (property)', () => {
    fc.assert(
      fc.property(
        fc.record({
          cla: fc.integer({ min: 0, max: 255 }),
          ins: fc.integer({ min: 0, max: 255 }),
          p1: fc.integer({ min: 0, max: 255 }),
          p2: fc.integer({ min: 0, max: 255 }),
          data: fc.uint8Array({ maxLength: 600 }),
          ne: fc.option(fc.integer({ min: 1, max: 65536 }), { nil: null }),
        }),
        fc.boolean(),
        (fields, extended) => {
          const parsed = parseCommandApdu(encodeCommandApdu(fields, { extended }));
          expect(parsed).to.deep.include({ cla: fields.cla, ins: fields.ins, p1: fields.p1, p2: fields.p2, ne: fields.ne });
          expect(toHex(parsed.data)).to.equal(toHex(fields.data));
        },
      ),
    );
  });

  it('never throws anything but ApduFormatError on random bytes (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        try {
          parseCommandApdu(bytes);
        } catch (err) {
          expect(err).to.be.instanceOf(ApduFormatError);
        }
      }),
    );
  });
});
