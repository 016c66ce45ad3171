import { expect } from 'chai';
import { fromHex } from '../../../shared/apdu/index.js';
import { decodeSingleTlv, decodeTlvSequence } from '../../../shared/tlv/index.js';
import { apdu, authenticateMgmt, PIN_123456, selectedCard, SW_HEX } from './support/card-harness.js';

describe('PIV GENERATE ASYMMETRIC KEY PAIR (Part 2 §3.3.2)', () => {
  it('generates P-256 with the one-byte 7F49 length libykpiv reads at a fixed offset', () => {
    const h = selectedCard();
    authenticateMgmt(h);
    const reply = h.tx(apdu('0047009D', 'AC03800111'));
    expect(reply.sw).to.equal(0x9000);
    expect(reply.data.slice(0, 12)).to.equal('7F4943864104');
    expect(reply.data.length / 2).to.equal(3 + 0x43);
    expect(h.store.state.keys['9D']!.alg).to.equal('p256');
  });

  it('generates RSA-2048 as 7F49 82 0109 { 81 82 0100 n, 82 03 010001 } through GET RESPONSE', () => {
    const h = selectedCard();
    authenticateMgmt(h);
    const first = h.tx(apdu('0047009A', 'AC03800107'));
    expect(SW_HEX(first.sw)).to.equal('610E');
    const rest = h.tx('00C0000000');
    expect(rest.sw).to.equal(0x9000);
    const all = first.data + rest.data;
    expect(all.slice(0, 18)).to.equal('7F4982010981820100');
    expect(all.slice(-10)).to.equal('8203010001');
    const inner = decodeTlvSequence(decodeSingleTlv(fromHex(all)).value);
    expect(inner.map((t) => t.tag)).to.deep.equal([0x81, 0x82]);
    expect(inner[0]!.value[0]! & 0x80).to.equal(0x80);
  });

  it('records PIN and touch policy (AA, AB) and keeps an existing certificate', () => {
    const h = selectedCard((s) => { s.objects['5FC10B'] = '53057003010203'; });
    authenticateMgmt(h);
    expect(h.tx(apdu('0047009D', 'AC09800111AA0102AB0101')).sw).to.equal(0x9000);
    expect(h.store.state.keys['9D']).to.deep.include({ pinPolicy: 2, touchPolicy: 1 });
    expect(h.store.state.objects['5FC10B']).to.equal('53057003010203');
  });

  it('needs management key authentication (6982), PIN alone is not enough', () => {
    const h = selectedCard();
    h.tx(`0020008008${PIN_123456}`);
    expect(h.tx(apdu('0047009A', 'AC03800111')).sw).to.equal(0x6982);
  });

  it('answers 6A80 for unsupported algorithms or a malformed template', () => {
    const h = selectedCard();
    authenticateMgmt(h);
    for (const data of ['AC03800106', 'AC03800114', 'AC03800103', 'AC0280', 'AB03800111', 'AC0480021100', 'AC03800111FF', 'AC00', 'AC03AA0102']) {
      expect(h.tx(apdu('0047009A', data)).sw, data).to.equal(0x6a80);
    }
    expect(h.tx('0047009A').sw).to.equal(0x6a80);
    expect(h.store.state.keys['9A']).to.equal(undefined);
  });

  it('answers 6A86 for P1 other than 00 or a key reference that is not an asymmetric slot', () => {
    const h = selectedCard();
    authenticateMgmt(h);
    expect(h.tx(apdu('0047019A', 'AC03800111')).sw).to.equal(0x6a86);
    expect(h.tx(apdu('0047009B', 'AC03800111')).sw).to.equal(0x6a86);
    expect(h.tx(apdu('00470080', 'AC03800111')).sw).to.equal(0x6a86);
    expect(h.tx(apdu('00470095', 'AC03800111')).sw).to.equal(0x9000); // retired slot 95
  });

  it('answers 6581 and keeps the old key when the card cannot save', () => {
    const h = selectedCard();
    authenticateMgmt(h);
    h.store.failSaves = true;
    expect(h.tx(apdu('0047009E', 'AC03800111')).sw).to.equal(0x6581);
    expect(h.store.state.keys['9E']).to.equal(undefined);
  });
});
