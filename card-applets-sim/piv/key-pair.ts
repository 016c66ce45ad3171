/**
 * On-card key pairs. Generation uses node:crypto; the private half is kept as PKCS#8 in the
 * card state and only ever used through the operations below: no command exports it.
 */
import { createPrivateKey, generateKeyPairSync, privateDecrypt, constants, type KeyObject } from 'node:crypto';
import { p256 } from '@noble/curves/nist.js';
import { encodeTlv, concatBytes } from '../../shared/tlv/index.js';
import type { StoredKey } from '../store/card-state.js';
import type { KeyAlgorithm } from './piv-constants.js';

const RSA_MODULUS_BYTES = 256;
const P256_FIELD_BYTES = 32;

export function generateStoredKey(alg: KeyAlgorithm, policy: { pinPolicy?: number; touchPolicy?: number } = {}): StoredKey {
  const { privateKey } = alg === 'rsa2048'
    ? generateKeyPairSync('rsa', { modulusLength: 2048, publicExponent: 0x10001 })
    : generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const pkcs8 = privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64');
  return { alg, pkcs8, ...policy, createdAt: new Date().toISOString() };
}

function base64UrlToBytes(value: string | undefined): Uint8Array {
  if (!value) throw new Error('key component missing');
  return new Uint8Array(Buffer.from(value, 'base64url'));
}

function leftPad(bytes: Uint8Array, length: number): Uint8Array {
  if (bytes.length >= length) return bytes;
  const out = new Uint8Array(length);
  out.set(bytes, length - bytes.length);
  return out;
}

function bytesToBigInt(bytes: Uint8Array): bigint {
  return bytes.length === 0 ? 0n : BigInt(`0x${Buffer.from(bytes).toString('hex')}`);
}

export type KeyOperationResult = { ok: true; value: Uint8Array } | { ok: false; reason: 'wrong-data' | 'wrong-algorithm' };

const WRONG_DATA = { ok: false, reason: 'wrong-data' } as const;
const WRONG_ALGORITHM = { ok: false, reason: 'wrong-algorithm' } as const;

/** A key pair decoded once from the card state and cached by the applet. */
export class LoadedKeyPair {
  readonly alg: KeyAlgorithm;
  private readonly keyObject: KeyObject;
  private readonly modulus: bigint;
  private readonly publicBytes: Uint8Array;
  private readonly ecScalar: Uint8Array;

  constructor(stored: StoredKey) {
    this.alg = stored.alg;
    this.keyObject = createPrivateKey({ key: Buffer.from(stored.pkcs8, 'base64'), format: 'der', type: 'pkcs8' });
    const jwk = this.keyObject.export({ format: 'jwk' });
    if (stored.alg === 'rsa2048') {
      this.publicBytes = leftPad(base64UrlToBytes(jwk.n), RSA_MODULUS_BYTES);
      this.modulus = bytesToBigInt(this.publicBytes);
      this.ecScalar = new Uint8Array(0);
    } else {
      const x = leftPad(base64UrlToBytes(jwk.x), P256_FIELD_BYTES);
      const y = leftPad(base64UrlToBytes(jwk.y), P256_FIELD_BYTES);
      this.publicBytes = concatBytes(Uint8Array.of(0x04), x, y);
      this.ecScalar = leftPad(base64UrlToBytes(jwk.d), P256_FIELD_BYTES);
      this.modulus = 0n;
    }
  }

  /** RSA modulus (256 bytes) or uncompressed EC point (65 bytes). */
  get publicKey(): Uint8Array {
    return this.publicBytes;
  }

  /**
   * GENERATE response layouts libykpiv parses at fixed offsets (digest §5):
   * RSA `7F49 82 0109 { 81 82 0100 n, 82 03 010001 }`, P-256 `7F49 43 { 86 41 04‖X‖Y }`.
   */
  publicKeyTemplate(): Uint8Array {
    if (this.alg === 'rsa2048') {
      return encodeTlv(0x7f49, concatBytes(encodeTlv(0x81, this.publicBytes), encodeTlv(0x82, Uint8Array.of(0x01, 0x00, 0x01))));
    }
    return encodeTlv(0x7f49, encodeTlv(0x86, this.publicBytes));
  }

  /** Raw RSA private operation m^d mod n on a host-padded block; m >= n is wrong data. */
  rsaPrivate(block: Uint8Array): KeyOperationResult {
    if (this.alg !== 'rsa2048') return WRONG_ALGORITHM;
    if (block.length !== RSA_MODULUS_BYTES || bytesToBigInt(block) >= this.modulus) return WRONG_DATA;
    const out = privateDecrypt({ key: this.keyObject, padding: constants.RSA_NO_PADDING }, block);
    return { ok: true, value: leftPad(new Uint8Array(out), RSA_MODULUS_BYTES) };
  }

  /**
   * ECDSA over a hash computed by the host. A hash longer than the field keeps its left-most
   * bytes (FIPS 186-4 §6.4). DER SEQUENCE { r, s }.
   */
  ecdsaSign(hash: Uint8Array): KeyOperationResult {
    if (this.alg !== 'p256') return WRONG_ALGORITHM;
    if (hash.length === 0) return WRONG_DATA;
    const digest = hash.length > P256_FIELD_BYTES ? hash.subarray(0, P256_FIELD_BYTES) : hash;
    return { ok: true, value: p256.sign(digest, this.ecScalar, { prehash: false, format: 'der' }) };
  }

  /** ECDH (SP 800-56A): the X coordinate of d·Q for an uncompressed peer point Q. */
  ecdh(peerPoint: Uint8Array): KeyOperationResult {
    if (this.alg !== 'p256') return WRONG_ALGORITHM;
    if (peerPoint.length !== 1 + 2 * P256_FIELD_BYTES || peerPoint[0] !== 0x04) return WRONG_DATA;
    try {
      const shared = p256.getSharedSecret(this.ecScalar, peerPoint, true);
      return { ok: true, value: shared.subarray(1) };
    } catch {
      return WRONG_DATA; // not a point on the curve
    }
  }
}
