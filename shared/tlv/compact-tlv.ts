/**
 * Compact-TLV (ISO 7816-4 §8.1.1.2), used in ATR historical bytes: one byte whose high nibble is
 * the tag and low nibble the length (0–15), then the value. E.g. `F9 <9-byte AID>`.
 */
import { TlvError } from './tlv-error.js';
import type { Tlv } from './ber-tlv.js';

export function encodeCompactTlv(tag: number, value: Uint8Array): Uint8Array {
  if (!Number.isInteger(tag) || tag < 0 || tag > 0xf) throw new RangeError(`compact tag out of range: ${tag}`);
  if (value.length > 0xf) throw new TlvError('ERR_TLV_VALUE_TOO_LONG', `compact value of ${value.length} bytes`, 0);
  const out = new Uint8Array(1 + value.length);
  out[0] = (tag << 4) | value.length;
  out.set(value, 1);
  return out;
}

export function decodeCompactTlvSequence(bytes: Uint8Array): Tlv[] {
  const out: Tlv[] = [];
  let at = 0;
  while (at < bytes.length) {
    const head = bytes[at]!;
    const length = head & 0x0f;
    const end = at + 1 + length;
    if (end > bytes.length) throw new TlvError('ERR_TLV_TRUNCATED', `compact value of ${length} bytes runs past the end`, at);
    out.push({ tag: head >> 4, value: bytes.subarray(at + 1, end) });
    at = end;
  }
  return out;
}
