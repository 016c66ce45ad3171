import type { Registry } from 'prom-client';
import type { ApiRouter } from '../../../shared/http/index.js';

/** /metrics for Prometheus and /openapi.json for clients; both public, as scrapers and tooling expect. */
export function mountOperationsRoutes(api: ApiRouter, deps: { metrics: Registry; openApiDocument: () => unknown }): ApiRouter {
  api.route({
    method: 'get',
    path: '/metrics',
    operationId: 'getMetrics',
    summary: 'Prometheus metrics in the text exposition format',
    tags: ['operations'],
    auth: { kind: 'public' },
    responses: { 200: { description: 'metrics', contentType: 'text/plain', schema: { type: 'string' } } },
    handler: async ({ res }) => {
      res.type(deps.metrics.contentType).send(await deps.metrics.metrics());
      return undefined;
    },
  });
  api.route({
    method: 'get',
    path: '/openapi.json',
    operationId: 'getOpenApiDocument',
    summary: 'This API as an OpenAPI 3.1 document',
    tags: ['operations'],
    auth: { kind: 'public' },
    responses: { 200: { description: 'the OpenAPI document', schema: { type: 'object' } } },
    handler: () => deps.openApiDocument(),
  });
  return api;
}
