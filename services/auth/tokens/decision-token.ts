import { sign, type KeyObject } from 'node:crypto';
import type { Assurance } from '../../../shared/modules/index.js';
import { DECISION_ALG } from './decision-keys.js';

/** The `typ` header of a decision token (RFC 8725 §3.11: explicit typing). */
export const DECISION_TOKEN_TYPE = 'tessera-tap+jwt';
/** The audience of every decision token. */
export const DECISION_AUDIENCE = 'urn:tessera:tap-decision';

export interface DecisionClaims {
  readonly tapId: string;
  readonly decision: 'granted' | 'denied';
  readonly reason: string;
  readonly purpose: string;
  readonly target: string;
  readonly readerId: string;
  readonly assurance: Assurance | null;
  /** The cardholder (platform cards) or `cert:<fingerprint>` (another organisation's card). */
  readonly subject: string | null;
  readonly cardId: string | null;
}

/** A signing key ready for the hot path: the node:crypto private key and the encoded protected header. */
export interface TokenSigner {
  readonly kid: string;
  readonly privateKey: KeyObject;
  /** base64url of the JOSE header, encoded once per key. */
  readonly encodedHeader: string;
}

export function tokenSignerOf(kid: string, privateKey: KeyObject): TokenSigner {
  const header = { alg: DECISION_ALG, kid, typ: DECISION_TOKEN_TYPE };
  return { kid, privateKey, encodedHeader: Buffer.from(JSON.stringify(header)).toString('base64url') };
}

/**
 * A short-lived ES256 JWT of one decision (RFC 7515 compact serialisation, RFC 7518 §3.4:
 * ECDSA P-256 with SHA-256, signature as r‖s). Signed with node:crypto in the request, not
 * WebCrypto on the thread pool: this runs on every tap. Any JOSE library verifies it with the
 * keys at /.well-known/jwks.json (the tests do, with jose).
 */
export function signDecisionToken(signer: TokenSigner, claims: DecisionClaims, options: { issuer: string; now: Date; lifetimeSeconds: number }): string {
  const iat = Math.floor(options.now.getTime() / 1000);
  const payload = {
    iss: options.issuer,
    aud: DECISION_AUDIENCE,
    jti: claims.tapId,
    iat,
    exp: iat + options.lifetimeSeconds,
    ...(claims.subject ? { sub: claims.subject } : {}),
    decision: claims.decision,
    reason: claims.reason,
    purpose: claims.purpose,
    target: claims.target,
    reader: claims.readerId,
    ...(claims.assurance ? { assurance: claims.assurance } : {}),
    ...(claims.cardId ? { card: claims.cardId } : {}),
  };
  const signingInput = `${signer.encodedHeader}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}`;
  const signature = sign('sha256', Buffer.from(signingInput), { key: signer.privateKey, dsaEncoding: 'ieee-p1363' });
  return `${signingInput}.${signature.toString('base64url')}`;
}
