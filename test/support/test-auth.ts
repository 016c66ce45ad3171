import { TesseraError } from '../../shared/errors/index.js';
import type { Authenticate } from '../../shared/http/index.js';

/**
 * For tests of one service's behaviour, not of sign-in: the caller names its role in
 * `x-test-role` (and optionally its id in `x-test-staff`). Role checks still apply exactly as in
 * production; the role-matrix test covers the real session tokens.
 */
export const headerAuthenticator: Authenticate = async (req, auth) => {
  const role = req.headers['x-test-role'];
  if (typeof role !== 'string') throw new TesseraError('ERR_UNAUTHENTICATED');
  if (auth.kind === 'reader') {
    if (role !== 'reader') throw new TesseraError('ERR_FORBIDDEN');
    return { kind: 'reader', id: String(req.headers['x-test-reader'] ?? 'test-reader'), roles: ['reader'] };
  }
  if (!auth.roles.includes(role)) throw new TesseraError('ERR_FORBIDDEN', `role ${role} may not do this`);
  return { kind: 'staff', id: String(req.headers['x-test-staff'] ?? `test-${role}`), roles: [role] };
};

/** A small JSON client for a test platform, acting in one role. */
export function clientAs(baseUrl: string, role: string | undefined) {
  const call = async (method: string, path: string, body?: unknown) => {
    const headers: Record<string, string> = {};
    if (role) headers['x-test-role'] = role;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(`${baseUrl}${path}`, { method, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: text ? (JSON.parse(text) as any) : undefined };
  };
  return {
    get: (path: string) => call('GET', path),
    post: (path: string, body?: unknown) => call('POST', path, body),
    patch: (path: string, body?: unknown) => call('PATCH', path, body),
    delete: (path: string) => call('DELETE', path),
  };
}
