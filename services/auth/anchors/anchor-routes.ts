import { TesseraError } from '../../../shared/errors/index.js';
import type { ApiRouter, Principal } from '../../../shared/http/index.js';
import type { AuthRuntime } from '../auth-runtime.js';
import { refreshAnchorCrl } from './anchor-crls.js';
import { anchorViewSchema, toAnchorView, type TrustAnchorRecord } from './anchor-record.js';
import { addAnchor, checkAnchorCrl, disableAnchor, getAnchor, listAnchors, storeAnchorCrl, updateAnchor, type AnchorUpdate } from './anchor-store.js';

const ADMIN = { kind: 'staff', roles: ['admin'] } as const;
const tags = ['trust anchors'];
const OID = { type: 'string', pattern: '^[0-2](\\.(0|[1-9][0-9]*))+$' } as const;
const PURPOSES = { type: 'array', minItems: 1, maxItems: 100, uniqueItems: true, items: { type: 'string', pattern: '^[a-z][a-z0-9-]*(\\.[a-z][a-z0-9-]*)+$' } } as const;
const CERT_OR_CRL = { type: 'string', minLength: 16, maxLength: 30_000_000, description: 'PEM, or DER in base64' } as const;
const idParams = { type: 'object', additionalProperties: false, required: ['anchorId'], properties: { anchorId: { type: 'string', format: 'uuid' } } } as const;

/** PEM text as it is; anything else is base64 of DER. */
const bytesOf = (text: string): Uint8Array | string => (text.trimStart().startsWith('-----BEGIN') ? text : Buffer.from(text, 'base64'));

interface AddBody {
  name: string;
  certificate: string;
  purposes: string[];
  crlUrl?: string;
  pinPolicyOids?: string[];
}

/** Other organisations' CAs, trusted for chosen purposes (docs/tap-protocol.md, "Trust anchors"). */
export function mountAnchorRoutes(api: ApiRouter, rt: AuthRuntime): void {
  const actor = (principal: Principal | undefined) => ({ kind: 'staff' as const, id: principal?.id ?? null });
  const view = (anchor: TrustAnchorRecord) => toAnchorView(anchor, rt.now());
  // A purpose an anchor is limited to must exist and accept cards of other organisations.
  const checkPurposes = (purposes: readonly string[] | undefined) => {
    for (const name of purposes ?? []) {
      const purpose = rt.registry.purpose(name);
      if (!purpose) throw new TesseraError('ERR_TRUST_ANCHOR_INVALID', `No module decides ${name}`, { purpose: name });
      if (purpose.declaration.allowExternal === false) throw new TesseraError('ERR_TRUST_ANCHOR_INVALID', `${name} takes only this platform's cards`, { purpose: name });
    }
  };

  api.route<Record<string, string>, Record<string, unknown>, AddBody>({
    method: 'post',
    path: '/v1/trust-anchors',
    operationId: 'addTrustAnchor',
    summary: "Trust another organisation's CA for chosen purposes; its CRL is fetched at once when it has a URL",
    description: 'Until a current CRL is held, taps with its cards are denied revocation_unknown (fail closed).',
    tags,
    auth: ADMIN,
    body: {
      type: 'object',
      additionalProperties: false,
      required: ['name', 'certificate', 'purposes'],
      properties: { name: { type: 'string', minLength: 1, maxLength: 100 }, certificate: CERT_OR_CRL, purposes: PURPOSES, crlUrl: { type: 'string', pattern: '^https?://', maxLength: 2000 }, pinPolicyOids: { type: 'array', maxItems: 20, items: OID } },
    },
    successStatus: 201,
    responses: { 201: { description: 'the anchor', schema: anchorViewSchema } },
    handler: async ({ body, principal }) => {
      checkPurposes(body.purposes);
      const now = rt.now();
      let anchor = await rt.knex.transaction((trx) => addAnchor(trx, { ...body, certificate: bytesOf(body.certificate) }, { actor: actor(principal), now }));
      if (anchor.crlUrl) anchor = await refreshAnchorCrl(rt.knex, anchor, now).catch(() => getAnchor(rt.knex, anchor.id));
      rt.trust.invalidate();
      return view(anchor);
    },
  });

  api.route({
    method: 'get',
    path: '/v1/trust-anchors',
    operationId: 'listTrustAnchors',
    summary: 'The trust anchors, with their purposes and CRL state',
    tags,
    auth: ADMIN,
    responses: { 200: { description: 'anchors', schema: { type: 'object', additionalProperties: false, properties: { items: { type: 'array', items: anchorViewSchema } } } } },
    handler: async () => ({ items: (await listAnchors(rt.knex)).map(view) }),
  });

  api.route<{ anchorId: string }>({
    method: 'get',
    path: '/v1/trust-anchors/{anchorId}',
    operationId: 'getTrustAnchor',
    summary: 'One trust anchor',
    tags,
    auth: ADMIN,
    params: idParams,
    responses: { 200: { description: 'the anchor', schema: anchorViewSchema } },
    handler: async ({ params }) => view(await getAnchor(rt.knex, params.anchorId)),
  });

  api.route<{ anchorId: string }, Record<string, unknown>, AnchorUpdate>({
    method: 'patch',
    path: '/v1/trust-anchors/{anchorId}',
    operationId: 'updateTrustAnchor',
    summary: 'Change the purposes, CRL URL or PIN policies of a trust anchor',
    tags,
    auth: ADMIN,
    params: idParams,
    body: {
      type: 'object',
      additionalProperties: false,
      minProperties: 1,
      properties: { purposes: PURPOSES, crlUrl: { type: ['string', 'null'], pattern: '^https?://', maxLength: 2000 }, pinPolicyOids: { type: 'array', maxItems: 20, items: OID } },
    },
    responses: { 200: { description: 'the anchor', schema: anchorViewSchema } },
    handler: async ({ params, body, principal }) => {
      checkPurposes(body.purposes);
      const anchor = await rt.knex.transaction((trx) => updateAnchor(trx, params.anchorId, body, { actor: actor(principal), now: rt.now() }));
      rt.trust.invalidate();
      return view(anchor);
    },
  });

  api.route<{ anchorId: string }>({
    method: 'post',
    path: '/v1/trust-anchors/{anchorId}/disable',
    operationId: 'disableTrustAnchor',
    summary: 'Stop trusting a trust anchor, on every process at once',
    tags,
    auth: ADMIN,
    params: idParams,
    responses: { 200: { description: 'the anchor', schema: anchorViewSchema } },
    handler: async ({ params, principal }) => {
      const anchor = await rt.knex.transaction((trx) => disableAnchor(trx, params.anchorId, { actor: actor(principal), now: rt.now() }));
      rt.trust.invalidate();
      return view(anchor);
    },
  });

  api.route<{ anchorId: string }>({
    method: 'post',
    path: '/v1/trust-anchors/{anchorId}/crl/refresh',
    operationId: 'refreshTrustAnchorCrl',
    summary: "Fetch the anchor's CRL from its URL now",
    tags,
    auth: ADMIN,
    params: idParams,
    responses: { 200: { description: 'the anchor', schema: anchorViewSchema } },
    handler: async ({ params }) => {
      const anchor = await refreshAnchorCrl(rt.knex, await getAnchor(rt.knex, params.anchorId), rt.now());
      rt.trust.invalidate();
      return view(anchor);
    },
  });

  api.route<{ anchorId: string }, Record<string, unknown>, { crl: string }>({
    method: 'post',
    path: '/v1/trust-anchors/{anchorId}/crl',
    operationId: 'uploadTrustAnchorCrl',
    summary: "Upload the anchor's CRL by hand (an issuer without a reachable URL)",
    tags,
    auth: ADMIN,
    params: idParams,
    body: { type: 'object', additionalProperties: false, required: ['crl'], properties: { crl: CERT_OR_CRL } },
    responses: { 200: { description: 'the anchor', schema: anchorViewSchema } },
    handler: async ({ params, body }) => {
      const anchor = await getAnchor(rt.knex, params.anchorId);
      const stored = await storeAnchorCrl(rt.knex, anchor, checkAnchorCrl(anchor, bytesOf(body.crl)), rt.now());
      rt.trust.invalidate();
      return view(stored);
    },
  });
}
