import type { PlatformService, ServiceContext } from '../../shared/service/index.js';
import { identityParts, identityService } from '../identity/identity-service.js';
import { ledgerService } from '../ledger/index.js';
import { authService, deskRelayFor, RelayedDeskProvider } from '../auth/index.js';

/**
 * The services this platform process runs, in mount order. Later issues add identity, auth,
 * the ledger and the modules here; `--only` (see cli) picks a subset.
 */
export function allServices(): PlatformService[] {
  // Desks reached through their reader agents come last, after the configured simulated and PC/SC desks.
  const relayedDesks = { additionalProviders: (ctx: ServiceContext) => [new RelayedDeskProvider(deskRelayFor(ctx), ctx.db.knex)] };
  return [identityService(identityParts(relayedDesks)), authService(), ledgerService()];
}
