import { expect } from 'chai';
import { SW_HEX, newCard, selectedCard, PIN_123456, SELECT_PIV, authenticateMgmt } from './support/card-harness.js';
import { MAX_CHAINED_COMMAND } from '../../../card-applets-sim/runtime/card-runtime.js';

describe('card runtime: APDU classes, chaining, GET RESPONSE, power', () => {
  it('answers malformed APDUs with 6700 and unknown classes with 6E00', () => {
    const h = selectedCard();
    expect(h.tx('').sw).to.equal(0x6700);
    expect(h.tx('00CB3F').sw).to.equal(0x6700);
    expect(h.tx('00CB3FFF05AABB').sw).to.equal(0x6700);
    expect(h.tx('80CB3FFF035C017E').sw).to.equal(0x6e00);
    expect(h.tx('0CCB3FFF035C017E').sw).to.equal(0x6e00);
    expect(h.tx('01CB3FFF035C017E').sw).to.equal(0x6e00);
  });

  it('answers unknown instructions with 6D00', () => {
    expect(selectedCard().tx('00E2000000').sw).to.equal(0x6d00);
    expect(selectedCard().tx('00F7009B00').sw).to.equal(0x6d00); // GET METADATA: not offered
  });

  it('chunks long responses through 61xx and GET RESPONSE, never more than 256 bytes (G1)', () => {
    const h = selectedCard();
    const cert = new Uint8Array(600).fill(0xab);
    // Store a 605-byte object: 53 82 0259 <601 bytes>
    h.store.update((s) => { s.objects['5FC105'] = '5382025970820255' + Buffer.from(cert.subarray(0, 597)).toString('hex'); });
    const first = h.tx('00CB3FFF055C035FC10500');
    expect(first.data.length / 2).to.equal(256);
    expect(SW_HEX(first.sw)).to.equal('6100');
    const second = h.tx('00C0000000');
    expect(second.data.length / 2).to.equal(256);
    expect(SW_HEX(second.sw)).to.equal('615D');
    const third = h.tx('00C000005D');
    expect(third.data.length / 2).to.equal(0x5d);
    expect(third.sw).to.equal(0x9000);
    expect((first.data + second.data + third.data).slice(0, 16)).to.equal('5382025970820255');
    expect(h.tx('00C0000000').sw).to.equal(0x6985);
  });

  it('answers the Le=08 probe with 8 bytes + 61xx, then the whole object on a new GET DATA', () => {
    const h = selectedCard();
    const probe = h.tx('00CB3FFF055C035FC10708');
    expect(probe.data).to.equal('5333F015A0000001');
    expect(SW_HEX(probe.sw)).to.equal('612D');
    const full = h.tx('00CB3FFF055C035FC10735');
    expect(full.data.length / 2).to.equal(0x35);
    expect(full.sw).to.equal(0x9000);
  });

  it('drops a pending response when another command comes, and rejects GET RESPONSE P1P2', () => {
    const h = selectedCard();
    expect(SW_HEX(h.tx('00CB3FFF055C035FC10708').sw)).to.equal('612D');
    expect(h.tx('00C0000100').sw).to.equal(0x6a86);
    h.tx('00CB3FFF055C035FC10708');
    h.tx('00200080');
    expect(h.tx('00C0000000').sw).to.equal(0x6985);
  });

  it('joins chained commands (CLA 10) and answers 9000 to each non-final block', () => {
    const h = selectedCard();
    // GET DATA split in two: 10 CB 3F FF 02 5C03 | 00 CB 3F FF 03 5FC102
    expect(h.tx('10CB3FFF025C03').sw).to.equal(0x9000);
    const reply = h.tx('00CB3FFF035FC102');
    expect(reply.sw).to.equal(0x9000);
    expect(reply.data.slice(0, 4)).to.equal('533B');
  });

  it('answers 6883 when a chain continues with another INS/P1/P2, and forgets the chain', () => {
    const h = selectedCard();
    expect(h.tx('10CB3FFF025C03').sw).to.equal(0x9000);
    expect(h.tx('00DB3FFF035FC102').sw).to.equal(0x6883);
    expect(h.tx('00CB3FFF035FC102').sw).to.equal(0x6a80); // the chain is gone: 5FC102 alone is no tag list
    expect(h.tx('10CB3FFF025C03').sw).to.equal(0x9000);
    expect(h.tx('00CB3FFE035FC102').sw).to.equal(0x6883);
    expect(h.tx('10C0000000').sw).to.equal(0x6883);
  });

  it('refuses a chained command over the size limit with 6A84', () => {
    const h = selectedCard();
    authenticateMgmt(h);
    const block = '10DB3FFFFF' + 'AB'.repeat(255);
    let sw = 0x9000;
    for (let i = 0; i * 255 <= MAX_CHAINED_COMMAND && sw === 0x9000; i++) sw = h.tx(block).sw;
    expect(sw).to.equal(0x6a84);
  });

  it('clears selection, PIN status, chain and pending response on power off / on / reset (G13)', () => {
    for (const action of ['powerOff', 'powerOn', 'reset'] as const) {
      const h = newCard();
      h.tx(SELECT_PIV);
      h.tx(`0020008008${PIN_123456}`);
      h.tx('00CB3FFF055C035FC10708');
      h.card[action]();
      expect(h.tx('00C0000000').sw, action).to.equal(0x6985);
      expect(h.tx('00200080').sw, action).to.equal(0x6d00);
      h.tx(SELECT_PIV);
      expect(h.tx('00200080').sw, action).to.equal(0x63c3);
      h.tx('10CB3FFF025C03');
      h.card[action]();
      h.tx(SELECT_PIV);
      expect(h.tx('00CB3FFF035FC102').sw, action).to.equal(0x6a80);
    }
  });

  it('powers an unpowered card up on transmit, as PC/SC does', () => {
    const h = newCard();
    h.card.powerOff();
    expect(h.card.isPowered).to.equal(false);
    expect(h.tx(SELECT_PIV).sw).to.equal(0x9000);
    expect(h.card.isPowered).to.equal(true);
  });
});
