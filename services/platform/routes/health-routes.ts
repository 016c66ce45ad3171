import type { ApiRouter } from '../../../shared/http/index.js';
import { TesseraError } from '../../../shared/errors/index.js';
import { migrationStatus, type Database, type MigrationOptions } from '../../../shared/db/index.js';

const healthSchema = {
  type: 'object',
  properties: { status: { type: 'string' }, checks: { type: 'object' } },
} as const;

/** How long readiness waits for the database before calling it unreachable. */
const READINESS_DB_TIMEOUT_MS = 2_000;

export function mountHealthRoutes(
  api: ApiRouter,
  deps: { db: Database; migrations: MigrationOptions; isShuttingDown: () => boolean },
): ApiRouter {
  api.route({
    method: 'get',
    path: '/healthz',
    operationId: 'getHealth',
    summary: 'Liveness: the process is up and serving HTTP',
    tags: ['operations'],
    auth: { kind: 'public' },
    responses: { 200: { description: 'alive', schema: healthSchema } },
    handler: () => ({ status: 'ok' }),
  });

  api.route({
    method: 'get',
    path: '/readyz',
    operationId: 'getReadiness',
    summary: 'Readiness: the database answers and its schema is current',
    tags: ['operations'],
    auth: { kind: 'public' },
    responses: { 200: { description: 'ready', schema: healthSchema }, 503: { description: 'not ready' } },
    handler: async () => {
      if (deps.isShuttingDown()) throw new TesseraError('ERR_SHUTTING_DOWN', 'The server is shutting down');
      let pending: string[];
      try {
        pending = (await withTimeout(migrationStatus(deps.db, deps.migrations), READINESS_DB_TIMEOUT_MS)).pending;
      } catch (error) {
        throw new TesseraError('ERR_SERVICE_UNAVAILABLE', `The database is unreachable: ${(error as Error).message}`, {
          checks: { database: 'unreachable' },
        });
      }
      if (pending.length > 0) {
        throw new TesseraError('ERR_SERVICE_UNAVAILABLE', `${pending.length} migration(s) pending`, {
          checks: { database: 'ok', migrations: 'pending', pending },
        });
      }
      return { status: 'ready', checks: { database: 'ok', migrations: 'current' } };
    },
  });
  return api;
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
