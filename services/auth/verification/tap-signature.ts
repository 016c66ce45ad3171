import { verify, type KeyObject } from 'node:crypto';

/**
 * Checks a card's signature over the rebuilt tap bytes: ECDSA with SHA-256 (DER, as PIV cards
 * return it) for P-256 and P-384 keys, RSASSA-PKCS1-v1_5 with SHA-256 for RSA keys of 2048 bits
 * or more (SP 800-78-5 Table 3-1). Any other key, a malformed, truncated or altered signature:
 * false. Never throws, so the caller's `if` is the whole decision.
 */
export function tapSignatureValid(key: KeyObject, tbs: Uint8Array, signature: Uint8Array): boolean {
  if (!keyAllowed(key)) return false;
  try {
    return verify('sha256', tbs, key, signature);
  } catch {
    return false;
  }
}

const allowedKeys = new WeakMap<KeyObject, boolean>();

function keyAllowed(key: KeyObject): boolean {
  let allowed = allowedKeys.get(key);
  if (allowed === undefined) {
    const details = key.asymmetricKeyDetails ?? {};
    allowed =
      (key.asymmetricKeyType === 'ec' && (details.namedCurve === 'prime256v1' || details.namedCurve === 'secp384r1')) ||
      (key.asymmetricKeyType === 'rsa' && (details.modulusLength ?? 0) >= 2048);
    allowedKeys.set(key, allowed);
  }
  return allowed;
}
