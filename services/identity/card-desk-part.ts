import type { ServiceContext } from '../../shared/service/index.js';
import type { IdentityPart } from './identity-service.js';
import { mountCardholderRoutes } from './cardholders/index.js';
import { mountCardRoutes, type CardCertificateHooks } from './cards/index.js';

/**
 * The card desk: cardholders and the card lifecycle. Certificate consequences of lifecycle
 * changes (revoke into the CRL, hold while suspended) come from the PKI through `certificates`,
 * given as hooks or, when they need the platform (the PKI of this process), as a function of it.
 */
export function cardDeskPart(certificates: CardCertificateHooks | ((ctx: ServiceContext) => CardCertificateHooks)): IdentityPart {
  return {
    name: 'card-desk',
    mount: (api, ctx) => {
      const hooks = typeof certificates === 'function' ? certificates(ctx) : certificates;
      mountCardholderRoutes(api, ctx, hooks);
      mountCardRoutes(api, ctx, hooks);
    },
  };
}
