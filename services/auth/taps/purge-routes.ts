import type { ApiRouter } from '../../../shared/http/index.js';
import type { AuthRuntime } from '../auth-runtime.js';
import { countedPurge } from './counted-purge.js';
import { MIN_TAP_RETENTION_DAYS } from './purge-taps.js';

const ADMIN = { kind: 'staff', roles: ['admin'] } as const;

interface PurgeBody {
  olderThanDays?: number;
  dryRun?: boolean;
}

const purgeBody = {
  type: 'object',
  additionalProperties: false,
  properties: {
    olderThanDays: {
      type: 'integer',
      minimum: MIN_TAP_RETENTION_DAYS,
      maximum: 36500,
      description: `delete taps created more than this many days ago (at least ${MIN_TAP_RETENTION_DAYS}); default TESSERA_TAP_RETENTION_DAYS`,
    },
    dryRun: { type: 'boolean', description: 'count what would be deleted and delete nothing' },
  },
} as const;

const purgeSummary = {
  type: 'object',
  additionalProperties: false,
  required: ['cutoff', 'olderThanDays', 'deleted', 'keptReferenced', 'batches', 'dryRun'],
  properties: {
    cutoff: { type: 'string', format: 'date-time', description: 'taps created before this instant were eligible' },
    olderThanDays: { type: 'integer' },
    deleted: { type: 'integer', description: 'deleted, or with dryRun, that would be deleted' },
    keptReferenced: { type: 'integer', description: 'older taps kept because a money movement or sale refers to them' },
    batches: { type: 'integer' },
    dryRun: { type: 'boolean' },
  },
} as const;

/** Tap retention on demand: the purge the scheduler runs daily, now (docs/tap-protocol.md, Retention). */
export function mountTapPurgeRoutes(api: ApiRouter, rt: AuthRuntime): void {
  api.route<Record<string, string>, Record<string, unknown>, PurgeBody>({
    method: 'post',
    path: '/v1/taps/purge',
    operationId: 'purgeTaps',
    summary: 'Delete tap records past their retention now, as the daily purge does; taps a money movement or sale refers to are kept',
    description: 'Send `{}` for the configured retention. Writes one `taps.purge` audit event naming the caller, except with dryRun.',
    tags: ['taps'],
    auth: ADMIN,
    body: purgeBody,
    responses: { 200: { description: 'what was (or, with dryRun, would be) deleted', schema: purgeSummary } },
    handler: async ({ body, principal }) => {
      const olderThanDays = body.olderThanDays ?? rt.ctx.config.tapRetentionDays;
      const result = await countedPurge(rt.knex, rt.metrics, {
        olderThanDays,
        now: rt.now(),
        dryRun: body.dryRun ?? false,
        actor: { kind: 'staff', id: principal?.id ?? null },
      });
      return { ...result, cutoff: result.cutoff.toISOString(), olderThanDays };
    },
  });
}
