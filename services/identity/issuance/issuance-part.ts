import type { ServiceContext } from '../../../shared/service/index.js';
import type { IdentityPart } from '../identity-service.js';
import { demoIssuanceSeeder } from './demo-issuance.js';
import { deskReadersFromConfig, type DeskReaders } from './desk-readers/index.js';
import { mountDeskRoutes } from './desk-routes.js';
import { issuanceDepsFor } from './issuance-deps.js';
import { mountIssuanceRoutes } from './issuance-routes.js';

/**
 * Card issuance and the desk operations, as a part of the identity service. The desk readers
 * come from TESSERA_DESK_READERS unless given (tests pass a simulated stock they can reach into).
 */
export function issuancePart(options: { deskReaders?: DeskReaders } = {}): IdentityPart {
  let deskReaders = options.deskReaders;
  const ownsReaders = deskReaders === undefined;
  const deskReadersFor = (ctx: ServiceContext) => (deskReaders ??= deskReadersFromConfig(ctx.config));
  return {
    name: 'issuance',
    mount(api, ctx) {
      const deps = issuanceDepsFor(ctx, deskReadersFor(ctx));
      mountIssuanceRoutes(api, deps);
      mountDeskRoutes(api, deps);
    },
    demoSeeders: [demoIssuanceSeeder(deskReadersFor)],
    async close() {
      if (ownsReaders) await deskReaders?.close();
    },
  };
}
