import { expect } from 'chai';
import fc from 'fast-check';
import { fromHex, toHex } from '../../../shared/apdu/index.js';
import {
  TlvError, decodeCompactTlvSequence, decodeSingleTlv, decodeTlv, decodeTlvSequence, encodeCompactTlv, encodeConstructed,
  encodeLength, encodeTag, encodeTlv, findTlv,
} from '../../../shared/tlv/index.js';

describe('BER-TLV codec', () => {
  it('encodes 1-, 2- and 3-byte tags', () => {
    expect(toHex(encodeTag(0x53))).to.equal('53');
    expect(toHex(encodeTag(0x7f49))).to.equal('7F49');
    expect(toHex(encodeTag(0x5fc105))).to.equal('5FC105');
  });

  it('encodes lengths in the 1-byte, 81 and 82 forms', () => {
    expect(toHex(encodeLength(0x7f))).to.equal('7F');
    expect(toHex(encodeLength(0x80))).to.equal('8180');
    expect(toHex(encodeLength(0xff))).to.equal('81FF');
    expect(toHex(encodeLength(0x100))).to.equal('820100');
    expect(toHex(encodeLength(0x109))).to.equal('820109');
    expect(() => encodeLength(0x10000)).to.throw(TlvError).with.property('code', 'ERR_TLV_VALUE_TOO_LONG');
  });

  it('decodes multi-byte tags and long lengths', () => {
    const tlv = decodeTlv(fromHex('5FC10503AABBCC'));
    expect(tlv.tag).to.equal(0x5fc105);
    expect(toHex(tlv.value)).to.equal('AABBCC');
    expect(tlv.end).to.equal(7);
    const long = decodeSingleTlv(encodeTlv(0x7f49, new Uint8Array(0x109)));
    expect(long.tag).to.equal(0x7f49);
    expect(long.value.length).to.equal(0x109);
    expect(decodeTlv(fromHex('5381020102')).value.length).to.equal(2);
  });

  it('rejects truncation with a typed error', () => {
    for (const hex of ['', '5F', '5FC1', '53', '5381', '538201', '530301', '7F4982010900']) {
      expect(() => decodeTlv(fromHex(hex)), hex).to.throw(TlvError).with.property('code', 'ERR_TLV_TRUNCATED');
    }
  });

  it('rejects indefinite and oversized length fields, and over-long tags', () => {
    expect(() => decodeTlv(fromHex('5380'))).to.throw(TlvError).with.property('code', 'ERR_TLV_BAD_LENGTH');
    expect(() => decodeTlv(fromHex('53840000000100'))).to.throw(TlvError).with.property('code', 'ERR_TLV_BAD_LENGTH');
    expect(() => decodeTlv(fromHex('5F818181010000'))).to.throw(TlvError).with.property('code', 'ERR_TLV_BAD_TAG');
  });

  it('decodeSingleTlv refuses trailing bytes (ykpiv needs exact lengths, digest G6)', () => {
    expect(() => decodeSingleTlv(fromHex('530100FF'))).to.throw(TlvError).with.property('code', 'ERR_TLV_TRAILING_BYTES');
  });

  it('decodes sequences and finds tags', () => {
    const list = decodeTlvSequence(fromHex('800107AA0102AB0101'));
    expect(list.map((t) => t.tag)).to.deep.equal([0x80, 0xaa, 0xab]);
    expect(toHex(findTlv(list, 0xaa)!.value)).to.equal('02');
    expect(findTlv(list, 0x99)).to.equal(undefined);
    expect(toHex(encodeConstructed(0x7c, [encodeTlv(0x82, new Uint8Array(0)), encodeTlv(0x81, fromHex('01'))]))).to.equal('7C0582008101' + '01');
  });

  it('round-trips any tag and value (property)', () => {
    const tag = fc.oneof(
      fc.integer({ min: 0, max: 0xff }).filter((t) => (t & 0x1f) !== 0x1f),
      fc.integer({ min: 0, max: 0x7f }).map((t) => 0x5f00 | t),
      fc.integer({ min: 0, max: 0x7f }).map((t) => 0x5fc100 | t),
    );
    fc.assert(
      fc.property(tag, fc.uint8Array({ maxLength: 700 }), (t, value) => {
        const decoded = decodeSingleTlv(encodeTlv(t, value));
        expect(decoded.tag).to.equal(t);
        expect(toHex(decoded.value)).to.equal(toHex(value));
      }),
    );
  });

  it('never throws anything but TlvError on random bytes (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        try {
          decodeTlvSequence(bytes);
        } catch (err) {
          expect(err).to.be.instanceOf(TlvError);
        }
      }),
    );
  });
});

describe('compact-TLV codec', () => {
  it('encodes and decodes the ATR application identifier F9', () => {
    const aid = fromHex('A00000030800001000');
    expect(toHex(encodeCompactTlv(0xf, aid))).to.equal('F9A00000030800001000');
    const [tlv] = decodeCompactTlvSequence(fromHex('F9A00000030800001000'));
    expect(tlv!.tag).to.equal(0xf);
    expect(toHex(tlv!.value)).to.equal('A00000030800001000');
  });

  it('rejects truncated compact values and over-long ones', () => {
    expect(() => decodeCompactTlvSequence(fromHex('F9A000'))).to.throw(TlvError).with.property('code', 'ERR_TLV_TRUNCATED');
    expect(() => encodeCompactTlv(1, new Uint8Array(16))).to.throw(TlvError);
  });
});
