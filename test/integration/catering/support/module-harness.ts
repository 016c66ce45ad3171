import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import type { Config } from '../../../../shared/config/index.js';
import { createLogger } from '../../../../shared/logging/index.js';
import type { ApiRouter } from '../../../../shared/http/index.js';
import type { Assurance, AuthenticatedTap, ModuleApi, ModuleContext, ModuleTapContext, TapModule } from '../../../../shared/modules/index.js';
import type { PlatformService } from '../../../../shared/service/index.js';
import { testConfig } from '../../../support/test-config.js';

/**
 * Drives a tap module the way the platform will once the tap router is live: a ModuleContext
 * over the test database and a settable clock, decide() called with AuthenticatedTap objects,
 * and its routes mounted under /v1/<name> through a PlatformService for startTestPlatform.
 */
export interface Clock {
  at: Date;
  readonly now: () => Date;
}

export function clockAt(iso: string): Clock {
  const clock: Clock = { at: new Date(iso), now: () => clock.at };
  return clock;
}

export function moduleContext(module: TapModule, knex: Knex, clock: Clock, timeZone = 'Europe/London', config: Partial<Config> = {}): ModuleTapContext {
  const base: ModuleContext = { module: module.name, knex, logger: createLogger('silent'), now: clock.now, timeZone, config: testConfig({ timeZone, ...config }) };
  return { ...base, signal: new AbortController().signal };
}

export function moduleRoutesService(module: TapModule, ctx: ModuleContext): PlatformService {
  return {
    name: `${module.name}-routes`,
    routers(serviceCtx) {
      const router: ApiRouter = serviceCtx.createRouter();
      const api: ModuleApi = {
        route(spec) {
          router.route({ ...spec, path: `/v1/${module.name}${spec.path}` });
          return api;
        },
        router,
      };
      void module.routes?.(api, ctx);
      return [router];
    },
  };
}

export async function addCardholder(knex: Knex, kind: 'pupil' | 'care_recipient' = 'pupil'): Promise<{ id: string; reference: string }> {
  const id = randomUUID();
  const reference = `T-${id.slice(0, 8)}`;
  await knex('cardholders').insert({ id, reference, given_name: 'Test', family_name: 'Person', kind });
  return { id, reference };
}

export function tapOf(input: {
  purpose: string;
  readerId: string;
  cardholderId: string;
  payload: unknown;
  at: Date;
  assurance?: Assurance;
  id?: string;
}): AuthenticatedTap {
  return {
    id: input.id ?? randomUUID(),
    purpose: input.purpose,
    target: input.readerId,
    at: input.at,
    assurance: input.assurance ?? 'card',
    reader: { id: input.readerId, name: input.readerId, kind: 'till', site: 'test', location: 'test' },
    credential: { kind: 'platform', cardId: randomUUID(), cardholderId: input.cardholderId, cardholderReference: null },
    payload: new TextEncoder().encode(JSON.stringify(input.payload)),
  };
}
