import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * A reader's credential: `tsr1.<reader id>.<secret>`, sent as `Authorization: Bearer <it>`.
 * The secret is 32 random bytes (base64url); the platform keeps only SHA-256(secret). A secret
 * with 256 bits of entropy cannot be guessed or brute-forced from its hash, so a slow password
 * hash would only slow every tap (docs/tap-protocol.md, Reader credentials).
 */
export const CREDENTIAL_PREFIX = 'tsr1';
const SECRET_BYTES = 32;
const pattern = /^tsr1\.([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.([A-Za-z0-9_-]{43})$/;

export interface MintedCredential {
  /** The whole credential, shown once to whoever installs the reader. */
  readonly credential: string;
  readonly hash: Buffer;
}

export function mintReaderCredential(readerId: string): MintedCredential {
  const secret = randomBytes(SECRET_BYTES).toString('base64url');
  return { credential: `${CREDENTIAL_PREFIX}.${readerId}.${secret}`, hash: hashSecret(secret) };
}

export function hashSecret(secret: string): Buffer {
  return createHash('sha256').update(secret, 'utf8').digest();
}

/** The reader id and secret of a credential, or undefined when it is not one. */
export function parseReaderCredential(text: string): { readerId: string; secret: string } | undefined {
  const match = pattern.exec(text);
  return match ? { readerId: match[1]!, secret: match[2]! } : undefined;
}

/** Constant-time comparison of a presented secret with the stored hash. */
export function secretMatches(secret: string, storedHash: Buffer | null): boolean {
  if (storedHash === null || storedHash.length !== 32) return false;
  return timingSafeEqual(hashSecret(secret), storedHash);
}
