import type { Request } from 'express';

/**
 * Who a route may be called by. Staff routes name the roles allowed; reader routes are called
 * by a registered reader device with its own credential; public routes by anyone.
 */
export type RouteAuth =
  | { readonly kind: 'public' }
  | { readonly kind: 'staff'; readonly roles: readonly string[] }
  | { readonly kind: 'reader' };

export interface Principal {
  readonly kind: 'staff' | 'reader';
  readonly id: string;
  /** Staff roles, or the reader's kind for readers. */
  readonly roles: readonly string[];
  readonly displayName?: string;
}

/**
 * Resolves the caller of a non-public route, or throws ERR_UNAUTHENTICATED / ERR_FORBIDDEN.
 * The platform composes one from the identity service (staff sessions) and the auth service
 * (reader credentials); until those exist, every protected route answers 401.
 */
export type Authenticate = (req: Request, auth: Exclude<RouteAuth, { kind: 'public' }>) => Promise<Principal>;
