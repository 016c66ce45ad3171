import type { Request } from 'express';
import { TesseraError } from '../../../shared/errors/index.js';
import type { Authenticate, Principal } from '../../../shared/http/index.js';
import { findSessionForAuth } from './session-store.js';
import { verifySessionToken, type SessionClaims } from './session-tokens.js';
import type { SessionRuntime } from './session-runtime.js';

const sessionsByRequest = new WeakMap<Request, SessionClaims>();

/** The verified session of a request the staff authenticator let through (whoami, sign-out). */
export function currentSession(req: Request): SessionClaims {
  const claims = sessionsByRequest.get(req);
  if (!claims) throw new TesseraError('ERR_UNAUTHENTICATED', 'This request carries no staff session');
  return claims;
}

const bearerPattern = /^Bearer +([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+) *$/i;

function bearerToken(req: Request): string {
  const match = bearerPattern.exec(req.headers.authorization ?? '');
  if (!match) throw new TesseraError('ERR_UNAUTHENTICATED', 'Sign in first: send Authorization: Bearer <session token from POST /v1/sessions>');
  return match[1]!;
}

/**
 * Resolves a staff caller from `Authorization: Bearer <session token>`, checking in order:
 * a bearer token is there; its signature, issuer, audience and expiry hold; its session was
 * issued and not revoked (sign-out, password reset, disable); the account is still active.
 * Any failure is 401. Then the account's CURRENT roles (not the token's) must include one the
 * route lists, or 403: a role taken away stops working on the next request.
 */
export function staffAuthenticator(rt: SessionRuntime): Authenticate {
  return async (req, auth): Promise<Principal> => {
    if (auth.kind !== 'staff') throw new TesseraError('ERR_UNAUTHENTICATED', 'This route is not for staff sessions');
    const claims = await verifySessionToken(bearerToken(req), (kid) => rt.keys.verificationKey(kid), rt.now());
    const session = await findSessionForAuth(rt.knex, claims.jti);
    if (!session || session.staff_id !== claims.staffId) throw new TesseraError('ERR_UNAUTHENTICATED', 'Unknown session; sign in again');
    if (session.revoked_at) throw new TesseraError('ERR_UNAUTHENTICATED', 'This session has ended; sign in again');
    if (session.status !== 'active') throw new TesseraError('ERR_UNAUTHENTICATED', 'This staff account is disabled');
    const principal: Principal = { kind: 'staff', id: session.staff_id, roles: [...session.roles], displayName: session.display_name };
    sessionsByRequest.set(req, claims);
    req.principal = principal;
    if (!auth.roles.some((role) => session.roles.includes(role as never))) {
      throw new TesseraError('ERR_FORBIDDEN', `This needs one of the roles: ${auth.roles.join(', ')}`, { requiredRoles: [...auth.roles] });
    }
    return principal;
  };
}
