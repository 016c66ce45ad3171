import { expect } from 'chai';
import { fromHex, toHex } from '../../../shared/apdu/index.js';
import { decodeSingleTlv, decodeTlvSequence } from '../../../shared/tlv/index.js';
import { PIV_ATR } from '../../../card-applets-sim/runtime/atr.js';
import { newCard, PIN_123456, SELECT_PIV } from './support/card-harness.js';

describe('card runtime: ATR and SELECT (SP 800-73-4 Part 2 §3.1.1)', () => {
  it('answers the PIV ATR of digest §2 with a correct TCK', () => {
    expect(toHex(PIV_ATR)).to.equal('3B8B800180F9A00000030800001000C8');
    const h = newCard();
    expect(toHex(h.card.atr)).to.equal('3B8B800180F9A00000030800001000C8');
    expect(PIV_ATR.subarray(1).reduce((x, b) => x ^ b, 0)).to.equal(0);
  });

  it('answers commands before SELECT with 6D00 (no applet selected)', () => {
    expect(newCard().tx('00CB3FFF035C017E08').sw).to.equal(0x6d00);
  });

  it('returns the application property template on SELECT with a 9-byte AID (OpenSC)', () => {
    const reply = newCard().tx(SELECT_PIV);
    expect(reply.sw).to.equal(0x9000);
    const apt = decodeSingleTlv(fromHex(reply.data));
    expect(apt.tag).to.equal(0x61);
    const inner = decodeTlvSequence(apt.value);
    expect(toHex(inner[0]!.value)).to.equal('000010000100');
    expect(inner[1]!.tag).to.equal(0x79);
    expect(toHex(inner[1]!.value)).to.equal('4F05A000000308');
    expect(inner.some((t) => t.tag === 0xac)).to.equal(true);
  });

  it('accepts the 5-byte AID without Le (libykpiv) and the full 11-byte AID', () => {
    expect(newCard().tx('00A4040005A000000308').sw).to.equal(0x9000);
    expect(newCard().tx('00A404000BA000000308000010000100').sw).to.equal(0x9000);
  });

  it('answers P2=0C with no data', () => {
    const reply = newCard().tx('00A4040C05A000000308');
    expect(reply).to.deep.equal({ data: '', sw: 0x9000 });
  });

  it('returns 6A82 for unknown or too short AIDs and leaves selection and PIN status unchanged (G3)', () => {
    const h = newCard();
    h.tx(SELECT_PIV);
    expect(h.tx(`0020008008${PIN_123456}`).sw).to.equal(0x9000);
    expect(h.tx('00A4040008A000000527200101').sw).to.equal(0x6a82); // YubiKey OTP
    expect(h.tx('00A4040007627601FF000000').sw).to.equal(0x6a82); // coolkey probe
    expect(h.tx('00A4040004A0000003').sw).to.equal(0x6a82); // shorter than 5 bytes
    expect(h.tx('00A4040000').sw).to.equal(0x6a82); // no AID
    expect(h.tx('00A404000CA00000030800001000010000').sw).to.equal(0x6a82); // longer than the AID
    // PIV is still selected and the PIN still verified.
    expect(h.tx('00200080').sw).to.equal(0x9000);
  });

  it('keeps security status when PIV is re-selected (G2)', () => {
    const h = newCard();
    h.tx(SELECT_PIV);
    h.tx(`0020008008${PIN_123456}`);
    expect(h.tx(SELECT_PIV).sw).to.equal(0x9000);
    expect(h.tx('00200080').sw).to.equal(0x9000);
  });

  it('answers file selection with 6A82 and other P1/P2 with 6A86', () => {
    const h = newCard();
    expect(h.tx('00A40000023F00').sw).to.equal(0x6a82);
    expect(h.tx('00A4400005A000000308').sw).to.equal(0x6a86);
    expect(h.tx('00A4040205A000000308').sw).to.equal(0x6a86);
  });
});
