import { expect } from 'chai';
import { fromHex, toHex } from '../../../shared/apdu/index.js';
import { decodeSingleTlv, decodeTlvSequence, findTlv } from '../../../shared/tlv/index.js';
import { apdu, authenticateMgmt, PIN_123456, selectedCard } from './support/card-harness.js';

const getData = (tagHex: string, le = ''): string => apdu('00CB3FFF', `5C${(tagHex.length / 2).toString(16).padStart(2, '0')}${tagHex}`, le);

describe('PIV GET DATA (Part 2 §3.1.2)', () => {
  it('returns the Discovery object 7E with PIN policy 40 00', () => {
    const reply = selectedCard().tx(getData('7E', '00'));
    expect(reply).to.deep.equal({ data: '7E124F0BA0000003080000100001005F2F024000', sw: 0x9000 });
  });

  it('returns a CHUID with ykpiv layout and a unique GUID per card', () => {
    const a = selectedCard().tx(getData('5FC102'));
    const b = selectedCard().tx(getData('5FC102'));
    expect(a.sw).to.equal(0x9000);
    expect(a.data.length / 2).to.equal(0x3d);
    const inner = decodeTlvSequence(decodeSingleTlv(fromHex(a.data)).value);
    expect(toHex(findTlv(inner, 0x30)!.value)).to.equal('D4E739DA739CED39CE739D836858210842108421C84210C3EB');
    const guidA = toHex(findTlv(inner, 0x34)!.value);
    const guidB = toHex(findTlv(decodeTlvSequence(decodeSingleTlv(fromHex(b.data)).value), 0x34)!.value);
    expect(guidA).to.have.length(32);
    expect(guidA).to.not.equal(guidB);
    expect(inner.map((t) => t.tag)).to.deep.equal([0x30, 0x34, 0x35, 0x3e, 0xfe]);
  });

  it('returns the CCC (53 33 F0 15 A0 00 00 01 16 FF 02 ...)', () => {
    const reply = selectedCard().tx(getData('5FC107'));
    expect(reply.sw).to.equal(0x9000);
    expect(reply.data.slice(0, 22)).to.equal('5333F015A000000116FF02');
    expect(reply.data.length / 2).to.equal(0x35);
  });

  it('answers 6A82 for absent objects, known or not', () => {
    const h = selectedCard();
    expect(h.tx(getData('5FC105')).sw).to.equal(0x6a82);
    expect(h.tx(getData('5FC10C')).sw).to.equal(0x6a82);
    expect(h.tx(getData('5FC106')).sw).to.equal(0x6a82);
    expect(h.tx(getData('7F61')).sw).to.equal(0x6a82);
    expect(h.tx(getData('5FFF00')).sw).to.equal(0x6a82);
  });

  it('answers 6982 for PIN-protected objects until the PIN is verified, even when absent', () => {
    const h = selectedCard((s) => { s.objects['5FC109'] = '5305010341424' + '3'; });
    for (const tag of ['5FC103', '5FC108', '5FC109', '5FC121']) expect(h.tx(getData(tag)).sw, tag).to.equal(0x6982);
    expect(h.tx(`0020008008${PIN_123456}`).sw).to.equal(0x9000);
    expect(h.tx(getData('5FC109'))).to.deep.equal({ data: '530501034142' + '43', sw: 0x9000 });
    expect(h.tx(getData('5FC103')).sw).to.equal(0x6a82);
  });

  it('answers 6A86 for P1P2 other than 3FFF', () => {
    expect(selectedCard().tx(apdu('00CB3FFE', '5C017E')).sw).to.equal(0x6a86);
  });

  it('answers 6A80 for a malformed tag list', () => {
    const h = selectedCard();
    expect(h.tx('00CB3FFF').sw).to.equal(0x6a80);
    expect(h.tx(apdu('00CB3FFF', '5C')).sw).to.equal(0x6a80);
    expect(h.tx(apdu('00CB3FFF', '5C00')).sw).to.equal(0x6a80);
    expect(h.tx(apdu('00CB3FFF', '5C045FC10201')).sw).to.equal(0x6a80);
    expect(h.tx(apdu('00CB3FFF', '5D035FC102')).sw).to.equal(0x6a80);
    expect(h.tx(apdu('00CB3FFF', '5C035FC10200')).sw).to.equal(0x6a80);
  });
});

describe('PIV PUT DATA (Part 2 §3.3.2)', () => {
  const certObject = '53' + '0B' + '7004DEADBEEF' + '710100' + 'FE00';

  it('needs management key authentication (6982)', () => {
    const h = selectedCard();
    h.tx(`0020008008${PIN_123456}`);
    expect(h.tx(apdu('00DB3FFF', '5C035FC105' + certObject)).sw).to.equal(0x6982);
  });

  it('stores a certificate container and returns it exactly', () => {
    const h = selectedCard();
    expect(authenticateMgmt(h).sw).to.equal(0x9000);
    expect(h.tx(apdu('00DB3FFF', '5C035FC105' + certObject)).sw).to.equal(0x9000);
    expect(h.tx(getData('5FC105'))).to.deep.equal({ data: certObject, sw: 0x9000 });
    expect(h.store.state.objects['5FC105']).to.equal(certObject);
  });

  it('deletes an object with 53 00', () => {
    const h = selectedCard();
    authenticateMgmt(h);
    h.tx(apdu('00DB3FFF', '5C035FC105' + certObject));
    expect(h.tx(apdu('00DB3FFF', '5C035FC1055300')).sw).to.equal(0x9000);
    expect(h.tx(getData('5FC105')).sw).to.equal(0x6a82);
  });

  it('stores Discovery (7E) and the BIT group template without the 5C wrapper', () => {
    const h = selectedCard();
    authenticateMgmt(h);
    const discovery = '7E124F0BA0000003080000100001005F2F024010';
    expect(h.tx(apdu('00DB3FFF', discovery)).sw).to.equal(0x9000);
    expect(h.tx(getData('7E')).data).to.equal(discovery);
    expect(h.tx(apdu('00DB3FFF', '7F6103020100')).sw).to.equal(0x9000);
    expect(h.tx(getData('7F61')).data).to.equal('7F6103020100');
    expect(h.tx(apdu('00DB3FFF', '7E00')).sw).to.equal(0x6a80);
  });

  it('takes a large object through command chaining', () => {
    const h = selectedCard();
    authenticateMgmt(h);
    const cert = 'AB'.repeat(600);
    const body = `5C035FC10A${'53820261'}${'70820258'}${cert}710100FE00`;
    const bytes = fromHex(body);
    for (let at = 0; at < bytes.length; at += 255) {
      const part = bytes.subarray(at, at + 255);
      const last = at + 255 >= bytes.length;
      const reply = h.tx(`${last ? '00' : '10'}DB3FFF${part.length.toString(16).padStart(2, '0')}${toHex(part)}`);
      expect(reply.sw).to.equal(0x9000);
    }
    const read = h.tx(getData('5FC10A'));
    expect(read.sw).to.equal(0x6100);
  });

  it('answers 6A86 for wrong P1P2 and 6A80 for malformed or unknown objects', () => {
    const h = selectedCard();
    authenticateMgmt(h);
    expect(h.tx(apdu('00DB3FFE', '5C035FC105' + certObject)).sw).to.equal(0x6a86);
    expect(h.tx(apdu('00DB3FFF', '5C035FC105')).sw).to.equal(0x6a80); // no 53
    expect(h.tx(apdu('00DB3FFF', '5C035FC105' + certObject + '00')).sw).to.equal(0x6a80); // truncated/trailing
    expect(h.tx(apdu('00DB3FFF', '5C035FC105' + '540100')).sw).to.equal(0x6a80); // not 53
    expect(h.tx(apdu('00DB3FFF', '5C03123456' + certObject)).sw).to.equal(0x6a80); // not a PIV tag
    expect(h.tx(apdu('00DB3FFF', '5C017E' + certObject)).sw).to.equal(0x6a80); // 7E must come bare
    expect(h.tx(apdu('00DB3FFF', '53820100')).sw).to.equal(0x6a80); // truncated
    expect(h.tx('00DB3FFF').sw).to.equal(0x6a80);
  });

  it('answers 6581 and changes nothing when the card cannot save', () => {
    const h = selectedCard();
    authenticateMgmt(h);
    h.store.failSaves = true;
    expect(h.tx(apdu('00DB3FFF', '5C035FC105' + certObject)).sw).to.equal(0x6581);
    h.store.failSaves = false;
    expect(h.tx(getData('5FC105')).sw).to.equal(0x6a82);
  });
});
