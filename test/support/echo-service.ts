import type { PlatformService } from '../../shared/service/index.js';

/**
 * A tiny service for testing the HTTP layer itself: one validated JSON route, one that
 * takes time (graceful shutdown), one that fails unexpectedly (the 500 path).
 */
export function echoService(options: { slowMs?: number } = {}): PlatformService {
  return {
    name: 'echo',
    routers: (ctx) => {
      const api = ctx.createRouter();
      api.route<{ id: string }, { verbose?: boolean }, { name: string; amount: number }>({
        method: 'post',
        path: '/v1/echo/{id}',
        operationId: 'echo',
        summary: 'Echo a validated body',
        auth: { kind: 'public' },
        params: { type: 'object', properties: { id: { type: 'string', pattern: '^[a-z0-9-]{1,40}$' } }, required: ['id'], additionalProperties: false },
        query: { type: 'object', properties: { verbose: { type: 'boolean' } }, additionalProperties: false },
        body: {
          type: 'object',
          required: ['name', 'amount'],
          properties: { name: { type: 'string', maxLength: 100 }, amount: { type: 'integer', minimum: 1 } },
          additionalProperties: false,
        },
        responses: { 200: { description: 'the echo' } },
        handler: ({ params, query, body }) => ({ id: params.id, verbose: query.verbose ?? false, ...body }),
      });
      api.route({
        method: 'get',
        path: '/v1/echo-slow',
        operationId: 'echoSlow',
        summary: 'Answer after a delay',
        auth: { kind: 'public' },
        responses: { 200: { description: 'done' } },
        handler: async () => {
          await new Promise((resolve) => setTimeout(resolve, options.slowMs ?? 300));
          return { done: true };
        },
      });
      api.route({
        method: 'get',
        path: '/v1/echo-broken',
        operationId: 'echoBroken',
        summary: 'Fail with an unexpected error',
        auth: { kind: 'public' },
        responses: { 200: { description: 'never' } },
        handler: () => {
          throw new Error('an internal detail that must not leak');
        },
      });
      api.route({
        method: 'get',
        path: '/v1/echo-protected',
        operationId: 'echoProtected',
        summary: 'Staff only',
        auth: { kind: 'staff', roles: ['admin'] },
        responses: { 200: { description: 'secret' } },
        handler: () => ({ ok: true }),
      });
      return [api];
    },
  };
}
