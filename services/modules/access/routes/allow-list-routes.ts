import { appendAudit } from '../../../../shared/audit/index.js';
import { TesseraError } from '../../../../shared/errors/index.js';
import type { ModuleApi, ModuleContext } from '../../../../shared/modules/index.js';
import { buildAllowList, offlinePolicy, signAllowList } from '../offline/build-allow-list.js';
import { publicKeys } from '../offline/signing-key.js';
import { MANAGERS, ok } from './access-schemas.js';
import { actorOf } from './group-routes.js';

const tags = ['access'];

/** The signed offline allow-list for door controllers, the keys to check it, and the offline policy. */
export function mountAllowListRoutes(api: ModuleApi, ctx: ModuleContext): void {
  api.route({
    method: 'get', path: '/allow-list', operationId: 'accessAllowList',
    summary: "The calling door controller's signed offline allow-list (JWS, ES256)", tags, auth: { kind: 'reader' }, responses: ok('The signed list'),
    handler: async ({ principal }) => {
      if (!principal) throw new TesseraError('ERR_UNAUTHENTICATED');
      const list = await buildAllowList(ctx, principal.id);
      return { allowList: await signAllowList(ctx, list), expiresAt: list.expiresAt, refreshSeconds: list.refreshSeconds };
    },
  });
  api.route({
    method: 'get', path: '/allow-list/keys', operationId: 'accessAllowListKeys', summary: 'The public keys that sign allow-lists (JWKS)', tags, auth: { kind: 'public' },
    responses: ok('A JWK set'),
    handler: () => publicKeys(ctx),
  });
  api.route({
    method: 'get', path: '/offline-policy', operationId: 'accessGetOfflinePolicy', summary: 'How long allow-lists last and how often controllers refresh them', tags, auth: MANAGERS,
    responses: ok('The policy'),
    handler: () => offlinePolicy(ctx.knex),
  });
  api.route<Record<string, string>, Record<string, unknown>, { refreshSeconds: number; validitySeconds: number }>({
    method: 'put', path: '/offline-policy', operationId: 'accessPutOfflinePolicy',
    summary: 'Set the revocation bound (refreshSeconds) and the allow-list lifetime (validitySeconds)', tags, auth: MANAGERS, responses: ok('The policy'),
    body: {
      type: 'object', additionalProperties: false, required: ['refreshSeconds', 'validitySeconds'],
      properties: { refreshSeconds: { type: 'integer', minimum: 5, maximum: 86_400 }, validitySeconds: { type: 'integer', minimum: 60, maximum: 30 * 86_400 } },
    },
    handler: async ({ body, principal }) => {
      if (body.validitySeconds <= body.refreshSeconds) throw new TesseraError('ERR_ACCESS_INVALID', 'An allow-list must outlive its refresh interval');
      await ctx.knex.transaction(async (trx) => {
        await trx('access_offline_policy').where({ id: 1 }).update({ refresh_seconds: body.refreshSeconds, validity_seconds: body.validitySeconds, updated_at: ctx.now() });
        await appendAudit(trx, { actor: actorOf(principal), action: 'access.offline-policy', subject: null, details: { ...body }, at: ctx.now() });
      });
      return offlinePolicy(ctx.knex);
    },
  });
}
