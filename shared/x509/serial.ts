import { randomBytes } from 'node:crypto';

/**
 * Serial numbers as lower-case hex of the INTEGER's value without leading zero bytes, so the
 * same certificate gives the same key whichever library read it (node:crypto prints upper
 * case, @peculiar/x509 keeps a sign byte).
 */
export function normaliseSerial(hex: string): string {
  const clean = hex.toLowerCase().replace(/[^0-9a-f]/g, '').replace(/^0+/, '');
  return clean === '' ? '0' : clean;
}

/**
 * A fresh serial: 16 random bytes (CA/B BR §7.1 asks for at least 64 bits of entropy) with the
 * top bit clear (RFC 5280 §4.1.2.2: positive) and bit 6 set, so the hex always has 32 digits
 * and no leading zeros, and the DER INTEGER needs no sign byte.
 */
export function randomSerial(): string {
  const bytes = randomBytes(16);
  bytes[0] = (bytes[0]! & 0x7f) | 0x40;
  return bytes.toString('hex');
}
