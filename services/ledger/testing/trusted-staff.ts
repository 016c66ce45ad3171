import { TesseraError } from '../../../shared/errors/index.js';
import type { Authenticate, Principal } from '../../../shared/http/index.js';
import type { PlatformService } from '../../../shared/service/index.js';

/**
 * FOR TESTS AND BENCHMARKS ONLY; never listed in allServices(). Until staff sessions exist,
 * every protected route answers 401, so tests, the crash test's child platform and the ledger
 * benchmark stand in a staff authenticator that trusts `Authorization: Bearer <token>` for a
 * fixed set of tokens, each naming one staff member and their roles.
 */
export function trustedStaffAuthenticator(staff: Readonly<Record<string, Principal>>): Authenticate {
  return async (req, auth) => {
    const header = req.headers.authorization ?? '';
    const principal = header.startsWith('Bearer ') ? staff[header.slice(7)] : undefined;
    if (!principal || principal.kind !== auth.kind) throw new TesseraError('ERR_UNAUTHENTICATED', 'Unknown test token');
    if (auth.kind === 'staff' && !principal.roles.some((role) => auth.roles.includes(role))) {
      throw new TesseraError('ERR_FORBIDDEN', `This route needs one of the roles ${auth.roles.join(', ')}`);
    }
    return principal;
  };
}

/** The same authenticator as a PlatformService, for a platform started through runPlatform(). */
export function trustedStaffService(staff: Readonly<Record<string, Principal>>): PlatformService {
  const authenticate = trustedStaffAuthenticator(staff);
  return { name: 'trusted-staff-for-tests', authenticators: () => ({ staff: authenticate }) };
}

/** Tokens the ledger's tests and benchmark use. */
export const testStaff: Readonly<Record<string, Principal>> = {
  'finance-token': { kind: 'staff', id: 'staff-finance-1', roles: ['finance'] },
  'admin-token': { kind: 'staff', id: 'staff-admin-1', roles: ['admin'] },
  'catering-token': { kind: 'staff', id: 'staff-catering-1', roles: ['catering-manager'] },
};
