import type { ApiRouter } from '../../../shared/http/index.js';
import type { AuthRuntime } from '../auth-runtime.js';
import { currentReader } from './reader-authenticator.js';
import { heartbeatBody } from './reader-schemas.js';
import { recordHeartbeat, type Heartbeat } from './reader-store.js';

const READER = { kind: 'reader' } as const;
const tags = ['readers'];

const selfSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    id: { type: 'string', format: 'uuid' },
    name: { type: 'string' },
    kind: { type: 'string' },
    site: { type: 'string' },
    location: { type: 'string' },
    module: { type: ['string', 'null'] },
    target: { type: ['string', 'null'] },
    flagged: { type: 'boolean' },
    heartbeatSeconds: { type: 'integer' },
    challengeSeconds: { type: 'integer' },
    purposes: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        properties: {
          purpose: { type: 'string' },
          description: { type: 'string' },
          minimumAssurance: { type: 'string', enum: ['card', 'card+pin'] },
          enabled: { type: 'boolean' },
          maxPayloadBytes: { type: 'integer' },
        },
      },
    },
  },
} as const;

/** What a reader may ask about itself, and its heartbeat. */
export function mountReaderSelfRoutes(api: ApiRouter, rt: AuthRuntime): void {
  api.route({
    method: 'get',
    path: '/v1/readers/self',
    operationId: 'readerSelf',
    summary: 'The calling reader: where it is, what it serves, the purposes it may ask for and their assurance',
    tags,
    auth: READER,
    responses: { 200: { description: 'the reader', schema: selfSchema } },
    handler: ({ req }) => {
      const reader = currentReader(req);
      return {
        id: reader.id,
        name: reader.name,
        kind: reader.kind,
        site: reader.site,
        location: reader.location,
        module: reader.module,
        target: reader.target,
        flagged: reader.flaggedAt !== null,
        heartbeatSeconds: rt.settings.heartbeatSeconds,
        challengeSeconds: rt.settings.challengeSeconds,
        purposes: rt.purposesFor(reader).map((p) => ({
          purpose: p.name,
          description: p.declaration.description,
          minimumAssurance: p.declaration.minimumAssurance,
          enabled: p.enabled,
          maxPayloadBytes: p.declaration.maxPayloadBytes ?? rt.settings.maxPayloadBytes,
        })),
      };
    },
  });

  api.route<Record<string, string>, Record<string, unknown>, Heartbeat>({
    method: 'post',
    path: '/v1/readers/self/heartbeat',
    operationId: 'readerHeartbeat',
    summary: 'Report that the reader is alive, and the firmware and configuration it runs',
    tags,
    auth: READER,
    body: heartbeatBody,
    responses: {
      200: {
        description: 'recorded',
        schema: { type: 'object', additionalProperties: false, properties: { heartbeatSeconds: { type: 'integer' }, offlineAfterSeconds: { type: 'integer' } } },
      },
    },
    handler: async ({ req, body }) => {
      await recordHeartbeat(rt.knex, currentReader(req).id, body, rt.now());
      return { heartbeatSeconds: rt.settings.heartbeatSeconds, offlineAfterSeconds: rt.settings.offlineAfterSeconds };
    },
  });
}
