import type { ApiRouter } from '../../../shared/http/index.js';
import type { DemoSeeder, ServiceContext } from '../../../shared/service/index.js';
import { pkiFor } from './pki-for-context.js';
import { mountPkiRoutes } from './pki-routes.js';
import { pkiDemoSeeder } from './pki-seeder.js';

/**
 * The PKI as a part of the identity service (the IdentityPart shape of identity-service.ts):
 * at start it makes sure the CA hierarchy exists (every process may try: one wins, the rest
 * find it), then mounts the public CRL and chain routes.
 */
export const pkiPart: {
  readonly name: string;
  start(ctx: ServiceContext): Promise<void>;
  mount(api: ApiRouter, ctx: ServiceContext): void;
  readonly demoSeeders: readonly DemoSeeder[];
} = {
  name: 'pki',
  async start(ctx) {
    await pkiFor(ctx).ensureHierarchy();
  },
  mount(api, ctx) {
    mountPkiRoutes(api, pkiFor(ctx));
  },
  demoSeeders: [pkiDemoSeeder],
};
