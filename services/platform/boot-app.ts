import type { IncomingMessage, ServerResponse } from 'node:http';
import { problemTypeFor } from '../../shared/errors/index.js';

/**
 * What the listener answers while the platform is still starting (migrations, the CA, demo data):
 * liveness says the process is up, readiness and everything else say "not yet". Listening at
 * once lets an orchestrator see the process alive and a port clash fail fast, instead of both
 * waiting for a slow migration.
 */
export function bootResponder(req: IncomingMessage, res: ServerResponse): void {
  const path = (req.url ?? '/').split('?')[0];
  if (req.method === 'GET' && path === '/healthz') {
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' }).end('{"status":"ok","phase":"starting"}');
    return;
  }
  const body = {
    type: problemTypeFor('ERR_SERVICE_UNAVAILABLE'),
    title: 'A dependency is unavailable',
    status: 503,
    detail: 'The platform is starting (migrations, keys, demo data); try again shortly',
    code: 'ERR_SERVICE_UNAVAILABLE',
  };
  res.writeHead(503, { 'content-type': 'application/problem+json; charset=utf-8', 'retry-after': '2' }).end(JSON.stringify(body));
}
