import type { ApiRouter } from '../../../shared/http/index.js';
import type { AuthRuntime } from '../auth-runtime.js';

const jwksSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    keys: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        properties: { kty: { type: 'string' }, crv: { type: 'string' }, x: { type: 'string' }, y: { type: 'string' }, kid: { type: 'string' }, alg: { type: 'string' }, use: { type: 'string' } },
      },
    },
  },
} as const;

/** The public keys of decision tokens, and their rotation. */
export function mountJwksRoutes(api: ApiRouter, rt: AuthRuntime): void {
  api.route({
    method: 'get',
    path: '/.well-known/jwks.json',
    operationId: 'decisionTokenKeys',
    summary: 'Public keys that verify tap decision tokens (RFC 7517), including keys retiring after a rotation',
    tags: ['taps'],
    auth: { kind: 'public' },
    responses: { 200: { description: 'the JWK set', schema: jwksSchema } },
    handler: async ({ res }) => {
      // Make sure a key exists, so a relying party can fetch the set before the first tap.
      await rt.tokenKeys.signingKey();
      // Short: after a rotation, relying parties see the new key within a minute (and refetch on an unknown kid).
      res.setHeader('cache-control', 'public, max-age=60');
      return rt.tokenKeys.jwks();
    },
  });

  api.route({
    method: 'post',
    path: '/v1/auth/token-keys/rotate',
    operationId: 'rotateDecisionTokenKey',
    summary: 'Start signing decision tokens with a new key; older keys stay in the JWKS until every token they signed has expired',
    tags: ['taps'],
    auth: { kind: 'staff', roles: ['admin'] },
    responses: {
      200: {
        description: 'the new key id and the keys now retiring',
        schema: { type: 'object', additionalProperties: false, properties: { kid: { type: 'string' }, retiring: { type: 'array', items: { type: 'string' } }, retireAfterSeconds: { type: 'integer' } } },
      },
    },
    handler: async () => {
      // Old keys stay published for a token lifetime plus a margin for clocks and caches.
      const retireAfterSeconds = rt.settings.tokenSeconds + 300;
      return { ...(await rt.tokenKeys.rotate(retireAfterSeconds)), retireAfterSeconds };
    },
  });
}
