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

export function payloadDigest(payload: Uint8Array): Buffer {
  return createHash('sha256').update(payload).digest();
}

export function encodeTapForSigning(input: TapSigningInput): Buffer {
  if (input.challenge.length !== CHALLENGE_BYTES) throw new RangeError(`a challenge is ${CHALLENGE_BYTES} bytes`);
  if (!UUID.test(input.readerId)) throw new RangeError('the reader id must be a UUID');
  const fields = [
    Buffer.from(input.challenge),
    Buffer.from(input.readerId.replaceAll('-', ''), 'hex'),
    Buffer.from(input.purpose, 'utf8'),
    Buffer.from(input.target, 'utf8'),
    payloadDigest(input.payload),
  ];
  const parts: Buffer[] = [TAP_DOMAIN_TAG, Buffer.of(TAP_ENCODING_VERSION)];
  for (const field of fields) {
    if (field.length > 0xffff) throw new RangeError('a tap field is longer than 65535 bytes');
    const length = Buffer.alloc(2);
    length.writeUInt16BE(field.length);
    parts.push(length, field);
  }
  return Buffer.concat(parts);
}

/** What the card is asked to sign: SHA-256 of the encoding (PIV GENERAL AUTHENTICATE signs a digest). */
export function tapDigest(input: TapSigningInput): Buffer {
  return createHash('sha256').update(encodeTapForSigning(input)).digest();
}
