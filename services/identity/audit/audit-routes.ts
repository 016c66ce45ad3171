import { listAuditEvents, type AuditActorKind, type AuditEvent } from '../../../shared/audit/index.js';
import type { ApiRouter } from '../../../shared/http/index.js';
import type { ServiceContext } from '../../../shared/service/index.js';

const actorKinds = ['staff', 'system', 'cli', 'anonymous', 'reader'] as const;

const auditQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    subjectKind: { type: 'string', maxLength: 64, example: 'staff' },
    subjectId: { type: 'string', maxLength: 200 },
    actorKind: { type: 'string', enum: [...actorKinds] },
    actorId: { type: 'string', maxLength: 200 },
    action: { type: 'string', maxLength: 100, example: 'staff.create' },
    from: { type: 'string', format: 'date-time', description: 'events at or after this time' },
    to: { type: 'string', format: 'date-time', description: 'events before this time' },
    beforeSeq: { type: 'integer', minimum: 1, description: 'the nextBeforeSeq of the previous page' },
    limit: { type: 'integer', minimum: 1, maximum: 500, default: 50 },
  },
} as const;

const auditEventSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['seq', 'at', 'actor', 'action', 'subject', 'details', 'prevHash', 'hash'],
  properties: {
    seq: { type: 'integer' },
    at: { type: 'string', format: 'date-time' },
    actor: {
      type: 'object',
      additionalProperties: false,
      properties: { kind: { type: 'string', enum: [...actorKinds] }, id: { type: ['string', 'null'] } },
    },
    action: { type: 'string' },
    subject: {
      type: ['object', 'null'],
      additionalProperties: false,
      properties: { kind: { type: 'string' }, id: { type: ['string', 'null'] } },
    },
    details: { type: 'object', additionalProperties: true },
    prevHash: { type: 'string' },
    hash: { type: 'string' },
  },
} as const;

type AuditQuery = {
  subjectKind?: string;
  subjectId?: string;
  actorKind?: AuditActorKind;
  actorId?: string;
  action?: string;
  from?: string;
  to?: string;
  beforeSeq?: number;
  limit: number;
};

const toJson = (event: AuditEvent) => ({ ...event, at: event.at.toISOString() });

/** Reading the audit log is an admin task. Verifying the chain is `tessera audit verify`. */
export function mountAuditRoutes(api: ApiRouter, ctx: ServiceContext): ApiRouter {
  api.route<Record<string, string>, AuditQuery>({
    method: 'get',
    path: '/v1/audit',
    operationId: 'listAuditEvents',
    summary: 'Audit events, newest first, filtered by subject, actor, action and time',
    tags: ['audit'],
    auth: { kind: 'staff', roles: ['admin'] },
    query: auditQuery,
    responses: {
      200: {
        description: 'one page of events',
        schema: {
          type: 'object',
          additionalProperties: false,
          required: ['events', 'nextBeforeSeq'],
          properties: { events: { type: 'array', items: auditEventSchema }, nextBeforeSeq: { type: ['integer', 'null'] } },
        },
      },
    },
    handler: async ({ query }) => {
      const page = await listAuditEvents(ctx.db.knex, {
        ...query,
        from: query.from === undefined ? undefined : new Date(query.from),
        to: query.to === undefined ? undefined : new Date(query.to),
      });
      return { events: page.events.map(toJson), nextBeforeSeq: page.nextBeforeSeq };
    },
  });
  return api;
}
