import type { IdentityPart } from './identity-service.js';
import { mountCardholderRoutes } from './cardholders/index.js';
import { mountCardRoutes, type CardCertificateHooks } from './cards/index.js';

/**
 * The card desk: cardholders and the card lifecycle. Certificate consequences of lifecycle
 * changes (revoke into the CRL, hold while suspended) come from the PKI through `certificates`.
 */
export function cardDeskPart(certificates: CardCertificateHooks): IdentityPart {
  return {
    name: 'card-desk',
    mount: (api, ctx) => {
      mountCardholderRoutes(api, ctx, certificates);
      mountCardRoutes(api, ctx, certificates);
    },
  };
}
