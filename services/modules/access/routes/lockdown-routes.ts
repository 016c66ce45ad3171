import type { ModuleApi, ModuleContext } from '../../../../shared/modules/index.js';
import { liftLockdown, listLockdowns, startLockdown, type LockdownScope } from '../lockdown/lockdown-store.js';
import { ID, MANAGERS, created, ok } from './access-schemas.js';
import { actorOf } from './group-routes.js';

const tags = ['access'];
const startBody = {
  type: 'object', additionalProperties: false, required: ['overrideGroupIds'],
  properties: {
    overrideGroupIds: { type: 'array', maxItems: 50, uniqueItems: true, items: ID, description: 'the only groups that still pass' },
    reason: { type: 'string', maxLength: 500 },
  },
} as const;

/** Lockdown of a site or a zone, and lifting it; both audited. */
export function mountLockdownRoutes(api: ModuleApi, ctx: ModuleContext): void {
  for (const scope of ['site', 'zone'] as const) {
    const param = `${scope}Id`;
    const params = { type: 'object', additionalProperties: false, required: [param], properties: { [param]: ID } } as const;
    const scopeOf = (p: Record<string, string>): LockdownScope => (scope === 'site' ? { siteId: p.siteId! } : { zoneId: p.zoneId! });
    api.route<Record<string, string>, Record<string, unknown>, { overrideGroupIds: string[]; reason?: string }>({
      method: 'post', path: `/${scope}s/{${param}}/lockdown`, operationId: `accessLockdown${scope === 'site' ? 'Site' : 'Zone'}`,
      summary: `Lock a ${scope} down: only the named override groups pass`, tags, auth: MANAGERS, params, body: startBody, successStatus: 201, responses: created('The lockdown'),
      handler: ({ params: p, body, principal }) =>
        startLockdown(ctx.knex, { scope: scopeOf(p), overrideGroupIds: body.overrideGroupIds, reason: body.reason ?? '', actor: actorOf(principal) }, ctx.now()),
    });
    api.route<Record<string, string>>({
      method: 'delete', path: `/${scope}s/{${param}}/lockdown`, operationId: `accessLift${scope === 'site' ? 'Site' : 'Zone'}Lockdown`,
      summary: `Lift the lockdown of a ${scope}: normal rules apply again`, tags, auth: MANAGERS, params, responses: ok('The lifted lockdown'),
      handler: ({ params: p, principal }) => liftLockdown(ctx.knex, { scope: scopeOf(p), actor: actorOf(principal) }, ctx.now()),
    });
  }
  api.route<Record<string, string>, { state?: 'active' | 'all' }>({
    method: 'get', path: '/lockdowns', operationId: 'accessListLockdowns', summary: 'Lockdowns in force (or all, newest first)', tags, auth: MANAGERS, responses: ok('The lockdowns'),
    query: { type: 'object', additionalProperties: false, properties: { state: { type: 'string', enum: ['active', 'all'] } } },
    handler: async ({ query }) => ({ lockdowns: await listLockdowns(ctx.knex, { activeOnly: query.state !== 'all' }) }),
  });
}
