import { appendAudit } from '../../../../shared/audit/index.js';
import { TesseraError } from '../../../../shared/errors/index.js';
import type { ModuleApi, ModuleContext } from '../../../../shared/modules/index.js';
import { uploadDoorEvents, type ReportedDoorEvent } from '../events/door-event-upload.js';
import { DOOR_EVENT_KINDS, acknowledgeAlarm, listAlarms, listDoorEvents } from '../events/door-event-store.js';
import { ID, OPERATORS, idParams, ok } from './access-schemas.js';
import { actorOf } from './group-routes.js';

const tags = ['access'];
const reportedEvent = {
  type: 'object', additionalProperties: false, required: ['key', 'kind', 'at'],
  properties: {
    key: { type: 'string', pattern: '^[\\x21-\\x7e]{1,100}$', description: "the controller's own id for the event (a retry stores it once)" },
    kind: { type: 'string', enum: [...DOOR_EVENT_KINDS] },
    at: { type: 'string', format: 'date-time' },
    cardholderId: { type: ['string', 'null'], format: 'uuid' },
    reason: { type: ['string', 'null'], pattern: '^[a-z][a-z0-9_]{0,63}$' },
    offline: { type: 'boolean', description: 'decided by the controller from its allow-list while the platform was unreachable' },
  },
} as const;

/** Door events reported by controllers (online or uploaded after an outage) and the operators' alarm list. */
export function mountEventRoutes(api: ModuleApi, ctx: ModuleContext): void {
  api.route<Record<string, string>, Record<string, unknown>, { events: ReportedDoorEvent[] }>({
    method: 'post', path: '/door-events', operationId: 'accessReportDoorEvents',
    summary: 'A door controller reports what its door did: held open, forced, closed, and the decisions it took offline', tags, auth: { kind: 'reader' },
    body: { type: 'object', additionalProperties: false, required: ['events'], properties: { events: { type: 'array', minItems: 1, maxItems: 1000, items: reportedEvent } } },
    responses: ok('How many were new'),
    handler: ({ body, principal }) => {
      if (!principal) throw new TesseraError('ERR_UNAUTHENTICATED');
      return uploadDoorEvents(ctx, principal.id, body.events);
    },
  });
  api.route<Record<string, string>, { doorId?: string; kind?: string; limit?: number }>({
    method: 'get', path: '/door-events', operationId: 'accessListDoorEvents', summary: 'Door events, newest first', tags, auth: OPERATORS, responses: ok('The events'),
    query: {
      type: 'object', additionalProperties: false,
      properties: { doorId: ID, kind: { type: 'string', enum: [...DOOR_EVENT_KINDS] }, limit: { type: 'integer', minimum: 1, maximum: 1000 } },
    },
    handler: async ({ query }) => ({ events: await listDoorEvents(ctx.knex, { ...query, limit: Number(query.limit ?? 100) }) }),
  });
  api.route<Record<string, string>, { state?: 'open' | 'all'; limit?: number }>({
    method: 'get', path: '/alarms', operationId: 'accessListAlarms', summary: 'Door alarms (held open, forced) for operators; open ones by default', tags, auth: OPERATORS,
    query: { type: 'object', additionalProperties: false, properties: { state: { type: 'string', enum: ['open', 'all'] }, limit: { type: 'integer', minimum: 1, maximum: 1000 } } },
    responses: ok('The alarms'),
    handler: async ({ query }) => ({ alarms: await listAlarms(ctx.knex, { openOnly: query.state !== 'all', limit: Number(query.limit ?? 100) }) }),
  });
  api.route<{ alarmId: string }, Record<string, unknown>, { note?: string }>({
    method: 'post', path: '/alarms/{alarmId}/acknowledge', operationId: 'accessAcknowledgeAlarm', summary: 'Acknowledge an alarm', tags, auth: OPERATORS,
    params: idParams('alarmId'), body: { type: 'object', additionalProperties: false, properties: { note: { type: 'string', maxLength: 500 } } }, responses: ok('The alarm'),
    handler: ({ params, body, principal }) =>
      ctx.knex.transaction(async (trx) => {
        const actor = actorOf(principal);
        const alarm = await acknowledgeAlarm(trx, params.alarmId, `${actor.kind}:${actor.id}`, body?.note ?? '', ctx.now());
        await appendAudit(trx, { actor, action: 'access.alarm-acknowledge', subject: { kind: 'access-alarm', id: alarm.id }, details: { doorId: alarm.doorId, kind: alarm.kind }, at: ctx.now() });
        return alarm;
      }),
  });
}

