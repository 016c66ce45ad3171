import { SignJWT } from 'jose';
import type { Assurance } from '../../../shared/modules/index.js';
import { DECISION_ALG, type DecisionSigningKey } from './decision-keys.js';

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

/** A short-lived ES256 JWT of one decision (docs/tap-protocol.md, "Decision token"). */
export async function signDecisionToken(key: DecisionSigningKey, claims: DecisionClaims, options: { issuer: string; now: Date; lifetimeSeconds: number }): Promise<string> {
  const iat = Math.floor(options.now.getTime() / 1000);
  const jwt = new SignJWT({
    decision: claims.decision,
    reason: claims.reason,
    purpose: claims.purpose,
    target: claims.target,
    reader: claims.readerId,
    ...(claims.assurance ? { assurance: claims.assurance } : {}),
    ...(claims.cardId ? { card: claims.cardId } : {}),
  })
    .setProtectedHeader({ alg: DECISION_ALG, kid: key.kid, typ: DECISION_TOKEN_TYPE })
    .setIssuer(options.issuer)
    .setAudience(DECISION_AUDIENCE)
    .setJti(claims.tapId)
    .setIssuedAt(iat)
    .setExpirationTime(iat + options.lifetimeSeconds);
  if (claims.subject) jwt.setSubject(claims.subject);
  return jwt.sign(key.privateKey);
}
