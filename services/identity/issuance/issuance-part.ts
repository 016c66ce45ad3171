import type { ServiceContext } from '../../../shared/service/index.js';
import type { IdentityPart } from '../identity-service.js';
import { demoIssuanceSeeder } from './demo-issuance.js';
import { deskReadersFromConfig, type DeskReaderProvider, type DeskReaders } from './desk-readers/index.js';
import { mountDeskRoutes } from './desk-routes.js';
import { issuanceDepsFor } from './issuance-deps.js';
import { mountIssuanceRoutes } from './issuance-routes.js';

export interface IssuancePartOptions {
  /** Use these desk readers instead of TESSERA_DESK_READERS (tests pass a simulated stock they can reach into). */
  readonly deskReaders?: DeskReaders;
  /** More ways to reach desk readers beside the configured ones, e.g. readers relayed by reader agents. */
  readonly additionalProviders?: (ctx: ServiceContext) => readonly DeskReaderProvider[];
}

/** Card issuance and the desk operations, as a part of the identity service. */
export function issuancePart(options: IssuancePartOptions = {}): IdentityPart {
  let deskReaders = options.deskReaders;
  const ownsReaders = deskReaders === undefined;
  const deskReadersFor = (ctx: ServiceContext) => (deskReaders ??= deskReadersFromConfig(ctx.config, options.additionalProviders?.(ctx) ?? []));
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
