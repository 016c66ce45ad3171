/**
 * The ATR every simulated card answers with (digest §2): T=0 and T=1 offered (libykpiv connects
 * with T=1 only), historical bytes `80 F9 <9-byte PIV AID>` = category indicator 80 followed by a
 * compact-TLV application identifier, so OpenSC treats it as a compliant PIV card (PIV_II_HIST).
 */
import { encodeCompactTlv } from '../../shared/tlv/index.js';

const PIV_AID_PREFIX = Uint8Array.of(0xa0, 0x00, 0x00, 0x03, 0x08, 0x00, 0x00, 0x10, 0x00);
const COMPACT_TAG_APPLICATION_ID = 0xf;
const CATEGORY_COMPACT_TLV = 0x80;

/** TS=3B direct convention; T0=8 with TD1 present; TD1=80: TD2 follows, T=0; TD2=01: T=1. */
function buildAtr(historical: Uint8Array): Uint8Array {
  const t0 = 0x80 | historical.length;
  const body = [t0, 0x80, 0x01, ...historical];
  // TCK (ISO 7816-3 §8.2.5): XOR of T0..last historical byte, present because T=1 is offered.
  const tck = body.reduce((x, b) => x ^ b, 0);
  return Uint8Array.of(0x3b, ...body, tck);
}

export const PIV_HISTORICAL_BYTES = Uint8Array.of(CATEGORY_COMPACT_TLV, ...encodeCompactTlv(COMPACT_TAG_APPLICATION_ID, PIV_AID_PREFIX));

/** 3B 8B 80 01 80 F9 A0 00 00 03 08 00 00 10 00 C8 */
export const PIV_ATR: Uint8Array = buildAtr(PIV_HISTORICAL_BYTES);

export { buildAtr };
