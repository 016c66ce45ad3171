import type { PlatformService } from '../../shared/service/index.js';
import { identityService } from '../identity/identity-service.js';
import { ledgerService } from '../ledger/index.js';
import { authService } from '../auth/index.js';

/**
 * The services this platform process runs, in mount order. Later issues add identity, auth,
 * the ledger and the modules here; `--only` (see cli) picks a subset.
 */
export function allServices(): PlatformService[] {
  return [identityService(), authService(), ledgerService()];
}
