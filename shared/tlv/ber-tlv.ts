/**
 * BER-TLV as used by ISO 7816-4 §5.2 and SP 800-73-4: tags of 1–3 bytes written as one number
 * (0x53, 0x7F49, 0x5FC105), lengths in the 1-byte, 81 xx and 82 xx xx forms (83 accepted on input).
 * Decoding is strict: truncation, indefinite lengths and trailing bytes raise TlvError.
 */
import { TlvError } from './tlv-error.js';

export interface Tlv {
  readonly tag: number;
  readonly value: Uint8Array;
}

export interface DecodedTlv extends Tlv {
  /** Offset just after this TLV. */
  readonly end: number;
}

const MAX_TAG_BYTES = 3;
const MAX_ENCODABLE_LENGTH = 0xffff;

export function encodeTag(tag: number): Uint8Array {
  if (!Number.isInteger(tag) || tag < 0 || tag > 0xffffff) throw new RangeError(`tag out of range: ${tag}`);
  if (tag <= 0xff) return Uint8Array.of(tag);
  if (tag <= 0xffff) return Uint8Array.of(tag >> 8, tag & 0xff);
  return Uint8Array.of(tag >> 16, (tag >> 8) & 0xff, tag & 0xff);
}

export function encodeLength(length: number): Uint8Array {
  if (!Number.isInteger(length) || length < 0) throw new RangeError(`length out of range: ${length}`);
  if (length < 0x80) return Uint8Array.of(length);
  if (length <= 0xff) return Uint8Array.of(0x81, length);
  if (length <= MAX_ENCODABLE_LENGTH) return Uint8Array.of(0x82, length >> 8, length & 0xff);
  throw new TlvError('ERR_TLV_VALUE_TOO_LONG', `value of ${length} bytes exceeds the 82 xx xx form`, 0);
}

export function concatBytes(...parts: readonly Uint8Array[]): Uint8Array {
  let total = 0;
  for (const part of parts) total += part.length;
  const out = new Uint8Array(total);
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

export function encodeTlv(tag: number, value: Uint8Array): Uint8Array {
  return concatBytes(encodeTag(tag), encodeLength(value.length), value);
}

/** A constructed TLV whose value is the concatenation of the children. */
export function encodeConstructed(tag: number, children: readonly Uint8Array[]): Uint8Array {
  return encodeTlv(tag, concatBytes(...children));
}

function readTag(bytes: Uint8Array, offset: number): { tag: number; next: number } {
  const first = bytes[offset];
  if (first === undefined) throw new TlvError('ERR_TLV_TRUNCATED', 'missing tag', offset);
  let tag = first;
  let at = offset + 1;
  if ((first & 0x1f) !== 0x1f) return { tag, next: at };
  // Multi-byte tag: subsequent bytes carry bit 8 while more follow (ISO 7816-4 §5.2.2.1).
  for (;;) {
    const b = bytes[at];
    if (b === undefined) throw new TlvError('ERR_TLV_TRUNCATED', 'truncated multi-byte tag', at);
    tag = tag * 256 + b;
    at += 1;
    if (at - offset > MAX_TAG_BYTES) throw new TlvError('ERR_TLV_BAD_TAG', `tag longer than ${MAX_TAG_BYTES} bytes`, offset);
    if ((b & 0x80) === 0) return { tag, next: at };
  }
}

function readLength(bytes: Uint8Array, offset: number): { length: number; next: number } {
  const first = bytes[offset];
  if (first === undefined) throw new TlvError('ERR_TLV_TRUNCATED', 'missing length', offset);
  if (first < 0x80) return { length: first, next: offset + 1 };
  const count = first & 0x7f;
  if (count === 0) throw new TlvError('ERR_TLV_BAD_LENGTH', 'indefinite length is not allowed', offset);
  if (count > 3) throw new TlvError('ERR_TLV_BAD_LENGTH', `length field of ${count} bytes`, offset);
  if (offset + 1 + count > bytes.length) throw new TlvError('ERR_TLV_TRUNCATED', 'truncated length field', offset);
  let length = 0;
  for (let i = 1; i <= count; i++) length = length * 256 + bytes[offset + i]!;
  return { length, next: offset + 1 + count };
}

/** Decode the TLV that starts at `offset`. */
export function decodeTlv(bytes: Uint8Array, offset = 0): DecodedTlv {
  const { tag, next: lengthAt } = readTag(bytes, offset);
  const { length, next: valueAt } = readLength(bytes, lengthAt);
  const end = valueAt + length;
  if (end > bytes.length) throw new TlvError('ERR_TLV_TRUNCATED', `value of ${length} bytes runs past the end`, valueAt);
  return { tag, value: bytes.subarray(valueAt, end), end };
}

/** Decode a whole buffer as consecutive TLVs; every byte must belong to one. */
export function decodeTlvSequence(bytes: Uint8Array): Tlv[] {
  const out: Tlv[] = [];
  let at = 0;
  while (at < bytes.length) {
    const tlv = decodeTlv(bytes, at);
    out.push({ tag: tlv.tag, value: tlv.value });
    at = tlv.end;
  }
  return out;
}

/** Decode exactly one TLV filling the whole buffer (SP 800-73-4 objects: nothing may trail). */
export function decodeSingleTlv(bytes: Uint8Array): Tlv {
  const tlv = decodeTlv(bytes, 0);
  if (tlv.end !== bytes.length) throw new TlvError('ERR_TLV_TRAILING_BYTES', `${bytes.length - tlv.end} bytes after the TLV`, tlv.end);
  return { tag: tlv.tag, value: tlv.value };
}

export function findTlv(list: readonly Tlv[], tag: number): Tlv | undefined {
  return list.find((tlv) => tlv.tag === tag);
}
