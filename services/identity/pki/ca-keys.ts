import { createPrivateKey, createPublicKey, webcrypto, type KeyObject } from 'node:crypto';
import { TesseraError } from '../../../shared/errors/index.js';
import { curveName } from '../../../shared/x509/index.js';

type CryptoKey = webcrypto.CryptoKey;
type CryptoKeyPair = webcrypto.CryptoKeyPair;

/**
 * Key choices for a generated hierarchy (SP 800-78-5 Table 3-3 and SP 800-57 Part 1 §5.6.1):
 * the root, which lives 20 years and signs rarely, uses P-384 with SHA-384; the issuing CA uses
 * P-256 with SHA-256 because every tap verifies a signature made by it and P-256 verifies about
 * twice as fast. ECDSA, so certificates are built with @peculiar/x509 over WebCrypto:
 * node-forge signs only RSA.
 */
export const ROOT_KEY = { name: 'ECDSA', namedCurve: 'P-384' } as const;
export const ISSUING_KEY = { name: 'ECDSA', namedCurve: 'P-256' } as const;

export type CaRole = 'root' | 'intermediate' | 'issuing';

/** SealedBox purpose (the AAD) for a CA key: bound to the row, so keys cannot be swapped between rows. */
export function caKeyPurpose(role: CaRole, authorityId: string): string {
  return `pki:${role}-ca-key:${authorityId}`;
}

export async function generateCaKeyPair(algorithm: typeof ROOT_KEY | typeof ISSUING_KEY): Promise<CryptoKeyPair> {
  // Extractable only so it can be sealed at once; the re-imported signing key is not.
  return (await webcrypto.subtle.generateKey(algorithm, true, ['sign', 'verify'])) as CryptoKeyPair;
}

export async function exportPkcs8(key: CryptoKey): Promise<Uint8Array> {
  return new Uint8Array(await webcrypto.subtle.exportKey('pkcs8', key));
}

/** A non-extractable WebCrypto signing key from PKCS#8 DER (EC P-256/384/521 or RSA >= 2048). */
export async function importSigningKey(pkcs8: Uint8Array): Promise<CryptoKey> {
  const key = createPrivateKey({ key: Buffer.from(pkcs8), format: 'der', type: 'pkcs8' });
  return webcrypto.subtle.importKey('pkcs8', pkcs8, webCryptoAlgorithmOf(key), false, ['sign']);
}

/** The signature algorithm a CA key signs with: SHA-2 matched to the curve, SHA-256 for RSA. */
export function signingAlgorithmFor(key: CryptoKey): { name: string; hash: string } {
  const algorithm = key.algorithm as { name: string; namedCurve?: string };
  if (algorithm.name === 'ECDSA') {
    const hash = { 'P-256': 'SHA-256', 'P-384': 'SHA-384', 'P-521': 'SHA-512' }[algorithm.namedCurve ?? ''];
    if (!hash) throw new TesseraError('ERR_PKI_UNSUPPORTED_KEY', `No signature hash for curve ${algorithm.namedCurve}`);
    return { name: 'ECDSA', hash };
  }
  return { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };
}

/** Which CA keys Tessera accepts (generated or imported). */
export function webCryptoAlgorithmOf(key: KeyObject): { name: string; namedCurve?: string; hash?: string } {
  const details = key.asymmetricKeyDetails ?? {};
  if (key.asymmetricKeyType === 'ec') {
    const curve = curveName(details.namedCurve ?? '');
    if (!['P-256', 'P-384', 'P-521'].includes(curve)) {
      throw new TesseraError('ERR_PKI_UNSUPPORTED_KEY', `A CA key on curve ${curve} is not supported (P-256, P-384, P-521)`);
    }
    return { name: 'ECDSA', namedCurve: curve };
  }
  if (key.asymmetricKeyType === 'rsa') {
    if ((details.modulusLength ?? 0) < 2048) throw new TesseraError('ERR_PKI_UNSUPPORTED_KEY', 'An RSA CA key must have at least 2048 bits');
    return { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };
  }
  throw new TesseraError('ERR_PKI_UNSUPPORTED_KEY', `A ${key.asymmetricKeyType} CA key is not supported (ECDSA or RSA)`);
}

/** "ec P-256", "rsa 3072": what status output and the authorities table show. */
export function keyAlgorithmLabel(key: KeyObject): string {
  const details = key.asymmetricKeyDetails ?? {};
  if (key.asymmetricKeyType === 'ec') return `ec ${curveName(details.namedCurve ?? '')}`;
  if (key.asymmetricKeyType === 'rsa') return `rsa ${details.modulusLength ?? 0}`;
  return key.asymmetricKeyType ?? 'unknown';
}

/** SubjectPublicKeyInfo DER of a private key's public half: to check a key matches a certificate. */
export function publicSpkiOf(privateKey: KeyObject): Uint8Array {
  return new Uint8Array(createPublicKey(privateKey).export({ format: 'der', type: 'spki' }));
}
