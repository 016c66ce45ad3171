import { expect } from 'chai';
import {
  SW, SW_AUTH_BLOCKED, SW_SECURITY_NOT_SATISFIED, bytesRemainingOf, describeStatusWord, encodeResponseApdu, fromHex,
  isBytesRemaining, isSuccess, isTriesLeft, isWellFormedStatusWord, parseResponseApdu, statusOnly, swBytesRemaining, swTriesLeft,
  toHex, triesLeftOf, ApduFormatError,
} from '../../../shared/apdu/index.js';

describe('status words and response APDUs', () => {
  it('names the PIV status words once', () => {
    expect(SW_SECURITY_NOT_SATISFIED).to.equal(0x6982);
    expect(SW_AUTH_BLOCKED).to.equal(0x6983);
    expect(SW.CHAINING_ERROR).to.equal(0x6883);
    expect(SW.REFERENCE_NOT_FOUND).to.equal(0x6a88);
    expect(describeStatusWord(0x6982)).to.equal('6982 SECURITY_NOT_SATISFIED');
  });

  it('builds and reads 61xx (00 means 256 or more)', () => {
    expect(swBytesRemaining(0x31)).to.equal(0x6131);
    expect(swBytesRemaining(256)).to.equal(0x6100);
    expect(swBytesRemaining(1000)).to.equal(0x6100);
    expect(isBytesRemaining(0x6108)).to.equal(true);
    expect(bytesRemainingOf(0x6100)).to.equal(256);
    expect(bytesRemainingOf(0x6108)).to.equal(8);
    expect(describeStatusWord(0x6108)).to.equal('6108 BYTES_REMAINING(8)');
  });

  it('builds and reads 63Cx, clamped to 0..15', () => {
    expect(swTriesLeft(2)).to.equal(0x63c2);
    expect(swTriesLeft(-1)).to.equal(0x63c0);
    expect(swTriesLeft(40)).to.equal(0x63cf);
    expect(isTriesLeft(0x63c2)).to.equal(true);
    expect(triesLeftOf(0x63c2)).to.equal(2);
    expect(isTriesLeft(0x6982)).to.equal(false);
  });

  it('classifies success and well-formedness', () => {
    expect(isSuccess(0x9000)).to.equal(true);
    expect(isSuccess(0x6100)).to.equal(true);
    expect(isSuccess(0x6a82)).to.equal(false);
    expect(isWellFormedStatusWord(0x6a82)).to.equal(true);
    expect(isWellFormedStatusWord(0x1234)).to.equal(false);
  });

  it('encodes and parses response APDUs', () => {
    expect(toHex(encodeResponseApdu(fromHex('0504'), 0x9000))).to.equal('05049000');
    expect(toHex(statusOnly(0x6a80))).to.equal('6A80');
    const r = parseResponseApdu(fromHex('AABB6108'));
    expect(toHex(r.data)).to.equal('AABB');
    expect(r.sw).to.equal(0x6108);
    expect(() => parseResponseApdu(fromHex('90'))).to.throw(ApduFormatError);
  });

  it('converts hex both ways and rejects non-hex', () => {
    expect(toHex(fromHex('de ad BE ef'))).to.equal('DEADBEEF');
    expect(() => fromHex('abc')).to.throw(TypeError);
    expect(() => fromHex('zz')).to.throw(TypeError);
  });
});
