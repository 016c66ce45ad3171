import type { ApiRouter } from '../../../shared/http/index.js';
import type { PlatformPki } from './platform-pki.js';

/** RFC 5280 §4.2.1.13 / RFC 2585 §4.2: the media type of a DER CRL served over HTTP. */
export const CRL_MEDIA_TYPE = 'application/pkix-crl';
/** RFC 8555 §9.1: PEM certificate chain. */
export const CHAIN_MEDIA_TYPE = 'application/pem-certificate-chain';
export const PEM_MEDIA_TYPE = 'application/x-pem-file';

/**
 * Relying parties fetch the CRL often; a short shared cache keeps load off the database while a
 * revocation still reaches them within minutes (the CRL itself is reissued on every revocation).
 */
const CRL_CACHE_SECONDS = 300;

/** OpenAPI 3.1 response schemas for non-JSON bodies. */
const BINARY = { type: 'string', format: 'binary' } as const;
const PEM_TEXT = { type: 'string', pattern: '^-----BEGIN ' } as const;

/**
 * The public face of the PKI: the CRL at the URL every card certificate names, and the CA chain.
 * Public routes (auth kind 'public'): relying parties, doors and other councils fetch them
 * without credentials, as FIPS 201-3 §5 expects of HTTP CRLs.
 */
export function mountPkiRoutes(api: ApiRouter, pki: PlatformPki): ApiRouter {
  api.route({
    method: 'get',
    path: '/v1/pki/crl',
    operationId: 'getCrl',
    summary: 'The current CRL of the issuing CA (DER)',
    description: 'The URL in the CRL distribution point of every card certificate. Reissued on every revocation and before nextUpdate.',
    tags: ['pki'],
    auth: { kind: 'public' },
    responses: { 200: { description: 'DER-encoded X.509 v2 CRL', contentType: CRL_MEDIA_TYPE, schema: BINARY } },
    handler: async ({ res }) => {
      const crl = await pki.currentCrl();
      res.status(200).set(crlHeaders(crl.crlNumber, crl.thisUpdate, crl.nextUpdate)).type(CRL_MEDIA_TYPE).send(Buffer.from(crl.der));
      return undefined;
    },
  });
  api.route({
    method: 'get',
    path: '/v1/pki/crl.pem',
    operationId: 'getCrlPem',
    summary: 'The current CRL of the issuing CA (PEM)',
    tags: ['pki'],
    auth: { kind: 'public' },
    responses: { 200: { description: 'PEM-encoded X.509 v2 CRL (X509 CRL block)', contentType: PEM_MEDIA_TYPE, schema: PEM_TEXT } },
    handler: async ({ res }) => {
      const crl = await pki.currentCrl();
      res.status(200).set(crlHeaders(crl.crlNumber, crl.thisUpdate, crl.nextUpdate)).type(PEM_MEDIA_TYPE).send(crl.pem);
      return undefined;
    },
  });
  api.route({
    method: 'get',
    path: '/v1/pki/ca',
    operationId: 'getCaChain',
    summary: 'The CA chain: issuing CA first, root last (PEM)',
    description: 'Install the root as a trust anchor; the issuing CA completes the path for card certificates.',
    tags: ['pki'],
    auth: { kind: 'public' },
    responses: { 200: { description: 'PEM certificates', contentType: CHAIN_MEDIA_TYPE, schema: PEM_TEXT } },
    handler: async ({ res }) => {
      res.status(200).set('cache-control', `public, max-age=${CRL_CACHE_SECONDS}`).type(CHAIN_MEDIA_TYPE).send(await pki.chainPem());
      return undefined;
    },
  });
  return api;
}

function crlHeaders(crlNumber: bigint, thisUpdate: Date, nextUpdate: Date): Record<string, string> {
  return {
    'cache-control': `public, max-age=${CRL_CACHE_SECONDS}`,
    'last-modified': thisUpdate.toUTCString(),
    expires: nextUpdate.toUTCString(),
    etag: `"crl-${crlNumber.toString()}"`,
  };
}
