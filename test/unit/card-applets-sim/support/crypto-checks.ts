/** Host-side crypto for tests: PKCS#1 v1.5 padding and public keys from GENERATE responses. */
import { createHash, createPublicKey, type KeyObject } from 'node:crypto';
import { fromHex, toHex } from '../../../../shared/apdu/index.js';

const SHA256_DIGEST_INFO = '3031300D060960864801650304020105000420';

/** EMSA-PKCS1-v1_5 encoding of SHA-256(data) for a 2048-bit key (RFC 8017 §9.2). */
export function pkcs1Sha256Block(data: Uint8Array): string {
  const t = SHA256_DIGEST_INFO + createHash('sha256').update(data).digest('hex').toUpperCase();
  return '0001' + 'FF'.repeat(256 - 3 - t.length / 2) + '00' + t;
}

export function rsaPublicKey(modulusHex: string): KeyObject {
  return createPublicKey({ key: { kty: 'RSA', n: Buffer.from(fromHex(modulusHex)).toString('base64url'), e: 'AQAB' }, format: 'jwk' });
}

export function ecPublicKey(pointHex: string): KeyObject {
  const point = fromHex(pointHex);
  return createPublicKey({
    key: { kty: 'EC', crv: 'P-256', x: Buffer.from(point.subarray(1, 33)).toString('base64url'), y: Buffer.from(point.subarray(33)).toString('base64url') },
    format: 'jwk',
  });
}

export function sha256Hex(data: Uint8Array): string {
  return toHex(createHash('sha256').update(data).digest());
}
