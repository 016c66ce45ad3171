import { expect } from 'chai';
import { PIN_123456, PUK_12345678, selectedCard, SW_HEX } from './support/card-harness.js';

const WRONG_PIN = '393939393939FFFF';
const WRONG_PUK = '3939393939393939';
const NEW_PIN = '363534333231FFFF'; // 654321
const NEW_PUK = '3837363534333231'; // 87654321

describe('PIV VERIFY (Part 2 §3.2.1)', () => {
  it('reports status with 63C3 before verification, in both query forms (G5)', () => {
    const h = selectedCard();
    expect(SW_HEX(h.tx('00200080').sw)).to.equal('63C3');
    expect(SW_HEX(h.tx('0020008000').sw)).to.equal('63C3');
  });

  it('verifies the factory PIN and then reports 9000', () => {
    const h = selectedCard();
    expect(h.tx(`0020008008${PIN_123456}`).sw).to.equal(0x9000);
    expect(h.tx('00200080').sw).to.equal(0x9000);
    expect(h.tx('0020008000').sw).to.equal(0x9000);
  });

  it('counts down with 63Cx, blocks with 6983, and a right PIN resets the counter', () => {
    const h = selectedCard();
    expect(SW_HEX(h.tx(`0020008008${WRONG_PIN}`).sw)).to.equal('63C2');
    expect(SW_HEX(h.tx(`0020008008${WRONG_PIN}`).sw)).to.equal('63C1');
    expect(h.tx(`0020008008${PIN_123456}`).sw).to.equal(0x9000);
    expect(h.store.state.pin.triesLeft).to.equal(3);
    h.tx(`0020008008${WRONG_PIN}`);
    h.tx(`0020008008${WRONG_PIN}`);
    expect(SW_HEX(h.tx(`0020008008${WRONG_PIN}`).sw)).to.equal('63C0');
    expect(h.tx(`0020008008${PIN_123456}`).sw).to.equal(0x6983);
    expect(h.tx('00200080').sw).to.equal(0x6983);
    expect(h.store.state.pin.triesLeft).to.equal(0);
  });

  it('a wrong PIN drops an earlier verification', () => {
    const h = selectedCard();
    h.tx(`0020008008${PIN_123456}`);
    h.tx(`0020008008${WRONG_PIN}`);
    expect(SW_HEX(h.tx('00200080').sw)).to.equal('63C2');
  });

  it('P1=FF resets the verification status', () => {
    const h = selectedCard();
    h.tx(`0020008008${PIN_123456}`);
    expect(h.tx('0020FF80').sw).to.equal(0x9000);
    expect(SW_HEX(h.tx('00200080').sw)).to.equal('63C3');
    expect(h.tx(`0020FF8008${PIN_123456}`).sw).to.equal(0x6a80);
  });

  it('answers 6A88 for other key references, 6A86 for other P1, 6A80 for a PIN not 8 bytes long', () => {
    const h = selectedCard();
    expect(h.tx(`0020000008${PIN_123456}`).sw).to.equal(0x6a88); // global PIN
    expect(h.tx(`0020008108${PUK_12345678}`).sw).to.equal(0x6a88);
    expect(h.tx(`0020018008${PIN_123456}`).sw).to.equal(0x6a86);
    expect(h.tx('0020008006313233343536').sw).to.equal(0x6a80);
    expect(h.store.state.pin.triesLeft).to.equal(3);
  });

  it('answers 6581 and does not compare when the counter cannot be saved', () => {
    const h = selectedCard();
    h.store.failSaves = true;
    expect(h.tx(`0020008008${PIN_123456}`).sw).to.equal(0x6581);
    expect(h.tx(`0020008008${WRONG_PIN}`).sw).to.equal(0x6581);
    h.store.failSaves = false;
    expect(SW_HEX(h.tx('00200080').sw)).to.equal('63C3');
  });
});

describe('PIV CHANGE REFERENCE DATA (Part 2 §3.2.2)', () => {
  it('changes the PIN with the old one', () => {
    const h = selectedCard();
    expect(h.tx(`0024008010${PIN_123456}${NEW_PIN}`).sw).to.equal(0x9000);
    h.card.reset();
    h.tx('00A4040005A000000308');
    expect(SW_HEX(h.tx(`0020008008${PIN_123456}`).sw)).to.equal('63C2');
    expect(h.tx(`0020008008${NEW_PIN}`).sw).to.equal(0x9000);
  });

  it('changes the PUK with the old one', () => {
    const h = selectedCard();
    expect(h.tx(`0024008110${PUK_12345678}${NEW_PUK}`).sw).to.equal(0x9000);
    expect(h.tx(`002C008010${NEW_PUK}${NEW_PIN}`).sw).to.equal(0x9000);
  });

  it('counts a wrong old value against that counter (63Cx) and blocks at zero (6983)', () => {
    const h = selectedCard();
    expect(SW_HEX(h.tx(`0024008110${WRONG_PUK}${NEW_PUK}`).sw)).to.equal('63C2');
    expect(h.store.state.puk.triesLeft).to.equal(2);
    expect(h.store.state.pin.triesLeft).to.equal(3);
    h.tx(`0024008110${WRONG_PUK}${NEW_PUK}`);
    expect(SW_HEX(h.tx(`0024008110${WRONG_PUK}${NEW_PUK}`).sw)).to.equal('63C0');
    expect(h.tx(`0024008110${PUK_12345678}${NEW_PUK}`).sw).to.equal(0x6983);
    expect(SW_HEX(h.tx(`0024008010${WRONG_PIN}${NEW_PIN}`).sw)).to.equal('63C2');
  });

  it('answers 6A80 for a bad new PIN or PUK without using a try', () => {
    const h = selectedCard();
    for (const bad of ['31323334FFFFFFFF', '3132333435FFFFFF', '313233343536FF37', '41424344454647FF', '3132333435363738FF']) {
      expect(h.tx(`00240080${(8 + bad.length / 2).toString(16).padStart(2, '0')}${PIN_123456}${bad}`).sw, bad).to.equal(0x6a80);
    }
    expect(h.tx(`0024008110${PUK_12345678}3132FFFFFFFFFFFF`).sw).to.equal(0x6a80);
    expect(h.tx(`0024008008${PIN_123456}`).sw).to.equal(0x6a80);
    expect(h.store.state.pin.triesLeft).to.equal(3);
    expect(h.store.state.puk.triesLeft).to.equal(3);
  });

  it('answers 6A88 for other references and 6A86 for P1 other than 00', () => {
    const h = selectedCard();
    expect(h.tx(`0024009B10${PIN_123456}${NEW_PIN}`).sw).to.equal(0x6a88);
    expect(h.tx(`0024018010${PIN_123456}${NEW_PIN}`).sw).to.equal(0x6a86);
  });
});

describe('PIV RESET RETRY COUNTER (Part 2 §3.2.3)', () => {
  function blockPin(h: ReturnType<typeof selectedCard>): void {
    for (let i = 0; i < 3; i++) h.tx(`0020008008${WRONG_PIN}`);
  }

  it('unblocks the PIN with the PUK and sets the new PIN', () => {
    const h = selectedCard();
    blockPin(h);
    expect(h.tx('00200080').sw).to.equal(0x6983);
    expect(h.tx(`002C008010${PUK_12345678}${NEW_PIN}`).sw).to.equal(0x9000);
    expect(SW_HEX(h.tx('00200080').sw)).to.equal('63C3');
    expect(h.tx(`0020008008${NEW_PIN}`).sw).to.equal(0x9000);
  });

  it('a wrong PUK costs a PUK try (63Cx) and leaves the PIN blocked', () => {
    const h = selectedCard();
    blockPin(h);
    expect(SW_HEX(h.tx(`002C008010${WRONG_PUK}${NEW_PIN}`).sw)).to.equal('63C2');
    expect(h.tx('00200080').sw).to.equal(0x6983);
  });

  it('a blocked PUK answers 6983', () => {
    const h = selectedCard();
    for (let i = 0; i < 3; i++) h.tx(`002C008010${WRONG_PUK}${NEW_PIN}`);
    expect(h.tx(`002C008010${PUK_12345678}${NEW_PIN}`).sw).to.equal(0x6983);
  });

  it('answers 6A80 for a bad new PIN or length, 6A88 for a reference other than 80, 6A86 for P1', () => {
    const h = selectedCard();
    expect(h.tx(`002C008010${PUK_12345678}3132FFFFFFFFFFFF`).sw).to.equal(0x6a80);
    expect(h.tx(`002C008008${PUK_12345678}`).sw).to.equal(0x6a80);
    expect(h.tx(`002C008110${PUK_12345678}${NEW_PIN}`).sw).to.equal(0x6a88);
    expect(h.tx(`002C018010${PUK_12345678}${NEW_PIN}`).sw).to.equal(0x6a86);
    expect(h.store.state.puk.triesLeft).to.equal(3);
  });
});
