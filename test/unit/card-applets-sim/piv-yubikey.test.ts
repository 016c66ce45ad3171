import { expect } from 'chai';
import { authenticateMgmt, PIN_123456, PUK_12345678, selectedCard, SW_HEX, testKey } from './support/card-harness.js';

const WRONG_PIN = '393939393939FFFF';
const WRONG_PUK = '3939393939393939';

describe('YubiKey extensions used by libykpiv (digest §6)', () => {
  it('GET VERSION answers 5.4.3 and GET SERIAL the serial, big-endian', () => {
    const h = selectedCard();
    expect(h.tx('00FD000000')).to.deep.equal({ data: '050403', sw: 0x9000 });
    expect(h.tx('00F8000000')).to.deep.equal({ data: '00BC614E', sw: 0x9000 });
  });

  describe('RESET (FB)', () => {
    it('refuses with 6985 while the PIN or the PUK still has tries', () => {
      const h = selectedCard();
      expect(h.tx('00FB000000').sw).to.equal(0x6985);
      for (let i = 0; i < 3; i++) h.tx(`0020008008${WRONG_PIN}`);
      expect(h.tx('00FB000000').sw).to.equal(0x6985);
    });

    it('restores factory secrets, wipes keys and objects and gives a new GUID once both are blocked', () => {
      const h = selectedCard((s) => { s.keys['9A'] = testKey('p256'); s.objects['5FC105'] = '53027000'; });
      const chuidBefore = h.store.state.objects['5FC102'];
      for (let i = 0; i < 3; i++) h.tx(`0020008008${WRONG_PIN}`);
      for (let i = 0; i < 3; i++) h.tx(`002C008010${WRONG_PUK}${PIN_123456}`);
      expect(h.tx('00FB000000').sw).to.equal(0x9000);
      expect(h.store.state.keys).to.deep.equal({});
      expect(h.store.state.objects['5FC105']).to.equal(undefined);
      expect(h.store.state.objects['5FC102']).to.be.a('string').and.not.equal(chuidBefore);
      expect(h.store.state.serial).to.equal(12345678);
      expect(h.tx(`0020008008${PIN_123456}`).sw).to.equal(0x9000);
      expect(h.tx(`0024008110${PUK_12345678}${PUK_12345678}`).sw).to.equal(0x9000);
      expect(authenticateMgmt(h).sw).to.equal(0x9000);
    });
  });

  describe('SET PIN RETRIES (FA)', () => {
    it('sets the tries and resets PIN and PUK to the defaults, with 9B auth and PIN', () => {
      const h = selectedCard();
      authenticateMgmt(h);
      h.tx(`0020008008${PIN_123456}`);
      expect(h.tx('00FA0505').sw).to.equal(0x9000);
      expect(SW_HEX(h.tx('00200080').sw)).to.equal('63C5');
      expect(h.store.state.puk).to.deep.include({ triesLeft: 5, maxTries: 5 });
    });

    it('needs both 9B authentication and the PIN (6982)', () => {
      const a = selectedCard();
      authenticateMgmt(a);
      expect(a.tx('00FA0505').sw).to.equal(0x6982);
      const b = selectedCard();
      b.tx(`0020008008${PIN_123456}`);
      expect(b.tx('00FA0505').sw).to.equal(0x6982);
    });

    it('answers 6A86 for zero or more than 15 tries', () => {
      const h = selectedCard();
      expect(h.tx('00FA0005').sw).to.equal(0x6a86);
      expect(h.tx('00FA0510').sw).to.equal(0x6a86);
    });
  });
});
