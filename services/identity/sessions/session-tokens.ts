import { errors as joseErrors, jwtVerify, SignJWT } from 'jose';
import { TesseraError } from '../../../shared/errors/index.js';
import { SESSION_ALG, type SigningKey } from './signing-keys.js';

export const SESSION_ISSUER = 'urn:tessera:identity';
export const SESSION_AUDIENCE = 'urn:tessera:staff-session';

export interface SessionClaims {
  readonly jti: string;
  readonly staffId: string;
  readonly username: string;
  /** The roles at sign-in, for the client's convenience; authorisation reads the account's current roles. */
  readonly roles: readonly string[];
  readonly issuedAt: Date;
  readonly expiresAt: Date;
}

const seconds = (date: Date) => Math.floor(date.getTime() / 1000);

export async function signSessionToken(key: SigningKey, claims: SessionClaims): Promise<string> {
  return new SignJWT({ roles: [...claims.roles], username: claims.username })
    .setProtectedHeader({ alg: SESSION_ALG, kid: key.kid, typ: 'JWT' })
    .setIssuer(SESSION_ISSUER)
    .setAudience(SESSION_AUDIENCE)
    .setSubject(claims.staffId)
    .setJti(claims.jti)
    .setIssuedAt(seconds(claims.issuedAt))
    .setExpirationTime(seconds(claims.expiresAt))
    .sign(key.privateKey);
}

const unauthenticated = (detail: string, cause?: unknown) => new TesseraError('ERR_UNAUTHENTICATED', detail, {}, { cause });

/**
 * Checks, in order: the token is a compact JWS signed with ES256 by one of our session keys
 * (never `none`, never another algorithm); it was issued by identity for staff sessions; it has
 * not expired at `now`; it names a staff member and a session id. Fails closed: anything else
 * is ERR_UNAUTHENTICATED. Revocation and account status are the authenticator's next checks.
 */
export async function verifySessionToken(
  token: string,
  keyFor: (kid: string) => Promise<CryptoKey | undefined>,
  now: Date,
): Promise<SessionClaims> {
  let payload;
  try {
    ({ payload } = await jwtVerify(
      token,
      async (header) => {
        const key = typeof header.kid === 'string' ? await keyFor(header.kid) : undefined;
        if (!key) throw unauthenticated('The session token was not signed by a current session key');
        return key;
      },
      {
        algorithms: [SESSION_ALG],
        issuer: SESSION_ISSUER,
        audience: SESSION_AUDIENCE,
        currentDate: now,
        requiredClaims: ['jti', 'sub', 'iat', 'exp'],
      },
    ));
  } catch (error) {
    if (error instanceof TesseraError) throw error;
    if (error instanceof joseErrors.JWTExpired) throw unauthenticated('The session has expired; sign in again', error);
    throw unauthenticated('The session token is not valid', error);
  }
  const roles = Array.isArray(payload.roles) ? payload.roles.filter((r): r is string => typeof r === 'string') : [];
  return {
    jti: payload.jti!,
    staffId: payload.sub!,
    username: typeof payload.username === 'string' ? payload.username : '',
    roles,
    issuedAt: new Date(payload.iat! * 1000),
    expiresAt: new Date(payload.exp! * 1000),
  };
}
