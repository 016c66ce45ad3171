import type { ModuleApi, ModuleContext } from '../../../../shared/modules/index.js';
import { bindReader, createDoor, createSite, createZone, doorById, listDoors, listSites, listZones, unbindReader, updateZone, type DoorReader } from '../places/place-store.js';
import type { AntiPassback } from '../rules/door-rules.js';
import { ANTI_PASSBACK, ID, MANAGERS, NAME, created, doorReader, idParams, ok } from './access-schemas.js';

const tags = ['access'];

/** Sites, zones and doors, each door bound to the readers that control it. */
export function mountPlaceRoutes(api: ModuleApi, ctx: ModuleContext): void {
  api.route({
    method: 'get', path: '/sites', operationId: 'accessListSites', summary: 'List sites', tags, auth: MANAGERS, responses: ok('The sites'),
    handler: async () => ({ sites: await listSites(ctx.knex) }),
  });
  api.route<Record<string, string>, Record<string, unknown>, { name: string; description?: string }>({
    method: 'post', path: '/sites', operationId: 'accessCreateSite', summary: 'Create a site', tags, auth: MANAGERS, successStatus: 201, responses: created('The site'),
    body: { type: 'object', additionalProperties: false, required: ['name'], properties: { name: NAME, description: { type: 'string', maxLength: 500 } } },
    handler: ({ body }) => createSite(ctx.knex, body, ctx.now()),
  });
  api.route<Record<string, string>, { siteId?: string }>({
    method: 'get', path: '/zones', operationId: 'accessListZones', summary: 'List zones', tags, auth: MANAGERS, responses: ok('The zones'),
    query: { type: 'object', additionalProperties: false, properties: { siteId: ID } },
    handler: async ({ query }) => ({ zones: await listZones(ctx.knex, query.siteId) }),
  });
  api.route<Record<string, string>, Record<string, unknown>, { siteId: string; name: string; requiresPin?: boolean; antiPassback?: AntiPassback }>({
    method: 'post', path: '/zones', operationId: 'accessCreateZone', summary: 'Create a zone in a site', tags, auth: MANAGERS, successStatus: 201, responses: created('The zone'),
    body: {
      type: 'object', additionalProperties: false, required: ['siteId', 'name'],
      properties: { siteId: ID, name: NAME, requiresPin: { type: 'boolean' }, antiPassback: ANTI_PASSBACK },
    },
    handler: ({ body }) => createZone(ctx.knex, body, ctx.now()),
  });
  api.route<{ zoneId: string }, Record<string, unknown>, { requiresPin?: boolean; antiPassback?: AntiPassback }>({
    method: 'patch', path: '/zones/{zoneId}', operationId: 'accessUpdateZone', summary: 'Change whether a zone needs the PIN or enforces anti-passback', tags, auth: MANAGERS,
    params: idParams('zoneId'), responses: ok('The zone'),
    body: { type: 'object', additionalProperties: false, minProperties: 1, properties: { requiresPin: { type: 'boolean' }, antiPassback: ANTI_PASSBACK } },
    handler: ({ params, body }) => updateZone(ctx.knex, params.zoneId, body),
  });
  api.route<Record<string, string>, { zoneId?: string }>({
    method: 'get', path: '/doors', operationId: 'accessListDoors', summary: 'List doors', tags, auth: MANAGERS, responses: ok('The doors'),
    query: { type: 'object', additionalProperties: false, properties: { zoneId: ID } },
    handler: async ({ query }) => ({ doors: await listDoors(ctx.knex, query.zoneId) }),
  });
  api.route<Record<string, string>, Record<string, unknown>, { zoneId: string; name: string; requiresPin?: boolean; heldOpenSeconds?: number; readers?: DoorReader[] }>({
    method: 'post', path: '/doors', operationId: 'accessCreateDoor', summary: 'Create a door in a zone, with its readers', tags, auth: MANAGERS, successStatus: 201, responses: created('The door'),
    body: {
      type: 'object', additionalProperties: false, required: ['zoneId', 'name'],
      properties: {
        zoneId: ID, name: NAME, requiresPin: { type: 'boolean' },
        heldOpenSeconds: { type: 'integer', minimum: 1, maximum: 3600 },
        readers: { type: 'array', maxItems: 8, items: doorReader },
      },
    },
    handler: ({ body }) => createDoor(ctx.knex, body, ctx.now()),
  });
  api.route<{ doorId: string }>({
    method: 'get', path: '/doors/{doorId}', operationId: 'accessGetDoor', summary: 'One door', tags, auth: MANAGERS, params: idParams('doorId'), responses: ok('The door'),
    handler: ({ params }) => doorById(ctx.knex, params.doorId),
  });
  api.route<{ doorId: string }, Record<string, unknown>, DoorReader>({
    method: 'post', path: '/doors/{doorId}/readers', operationId: 'accessBindReader', summary: 'Bind a reader of the tap registry to a door', tags, auth: MANAGERS,
    params: idParams('doorId'), body: doorReader, responses: ok('The door'),
    handler: ({ params, body }) => bindReader(ctx.knex, params.doorId, body),
  });
  api.route<{ doorId: string; readerId: string }>({
    method: 'delete', path: '/doors/{doorId}/readers/{readerId}', operationId: 'accessUnbindReader', summary: 'Unbind a reader from a door', tags, auth: MANAGERS,
    params: idParams('doorId', 'readerId'), responses: ok('The door'),
    handler: ({ params }) => unbindReader(ctx.knex, params.doorId, params.readerId),
  });
}
