import { createHash } from 'node:crypto';

/**
 * The bytes a card signs for a tap (docs/tap-protocol.md, "Canonical encoding"). The platform
 * rebuilds them from what it stored with the challenge and never trusts a digest from the
 * reader. Layout, all lengths big-endian:
 *
 *   "TESSERA-TAP" (11 bytes ASCII) | version 0x01 |
 *   u16 32 | challenge (32 bytes) |
 *   u16 16 | reader id (the UUID's 16 bytes) |
 *   u16 n  | purpose (UTF-8) |
 *   u16 n  | target (UTF-8) |
 *   u16 32 | SHA-256 of the payload bytes (of zero bytes when there is no payload)
 *
 * Every field carries its length, so no two different taps encode to the same bytes. The
 * card signs SHA-256 of these bytes: ECDSA (DER) for EC keys, PKCS#1 v1.5 for RSA keys.
 */
export const TAP_DOMAIN_TAG = Buffer.from('TESSERA-TAP', 'ascii');
export const TAP_ENCODING_VERSION = 1;
export const CHALLENGE_BYTES = 32;

export interface TapSigningInput {
  readonly challenge: Uint8Array;
  readonly readerId: string;
  readonly purpose: string;
  readonly target: string;
  /** The payload bytes (empty when none). */
  readonly payload: Uint8Array;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** SHA-256 of zero bytes: most taps carry no payload, and hashing nothing still costs a hash object. */
const EMPTY_PAYLOAD_DIGEST = createHash('sha256').digest();

export function payloadDigest(payload: Uint8Array): Buffer {
  return payload.length === 0 ? Buffer.from(EMPTY_PAYLOAD_DIGEST) : createHash('sha256').update(payload).digest();
}

const READER_ID_BYTES = 16;
const DIGEST_BYTES = 32;

/**
 * Written into one buffer sized up front: this runs on every tap answer (and on every reader's
 * side), and the field-by-field version made a dozen small buffers per tap.
 */
export function encodeTapForSigning(input: TapSigningInput): Buffer {
  if (input.challenge.length !== CHALLENGE_BYTES) throw new RangeError(`a challenge is ${CHALLENGE_BYTES} bytes`);
  if (!UUID.test(input.readerId)) throw new RangeError('the reader id must be a UUID');
  const purposeBytes = Buffer.byteLength(input.purpose, 'utf8');
  const targetBytes = Buffer.byteLength(input.target, 'utf8');
  if (purposeBytes > 0xffff || targetBytes > 0xffff) throw new RangeError('a tap field is longer than 65535 bytes');
  const out = Buffer.allocUnsafe(TAP_DOMAIN_TAG.length + 1 + 5 * 2 + CHALLENGE_BYTES + READER_ID_BYTES + purposeBytes + targetBytes + DIGEST_BYTES);
  let at = TAP_DOMAIN_TAG.copy(out, 0);
  at = out.writeUInt8(TAP_ENCODING_VERSION, at);
  at = out.writeUInt16BE(CHALLENGE_BYTES, at);
  out.set(input.challenge, at);
  at += CHALLENGE_BYTES;
  at = out.writeUInt16BE(READER_ID_BYTES, at);
  at += out.write(input.readerId.replaceAll('-', ''), at, 'hex');
  at = out.writeUInt16BE(purposeBytes, at);
  at += out.write(input.purpose, at, 'utf8');
  at = out.writeUInt16BE(targetBytes, at);
  at += out.write(input.target, at, 'utf8');
  at = out.writeUInt16BE(DIGEST_BYTES, at);
  at += payloadDigest(input.payload).copy(out, at);
  if (at !== out.length) throw new Error(`tap encoding wrote ${at} of ${out.length} bytes`);
  return out;
}

/** What the card is asked to sign: SHA-256 of the encoding (PIV GENERAL AUTHENTICATE signs a digest). */
export function tapDigest(input: TapSigningInput): Buffer {
  return createHash('sha256').update(encodeTapForSigning(input)).digest();
}
