import type { ApiRouter } from '../../../shared/http/index.js';
import { appendAudit } from '../../../shared/audit/index.js';
import type { ServiceContext } from '../../../shared/service/index.js';
import type { CardCertificateHooks } from '../cards/card-certificate-hooks.js';
import { staffActor } from '../cards/staff-actor.js';
import { eraseCardholder } from './cardholder-erasure.js';
import { exportCardholder } from './cardholder-export.js';
import {
  cardholderIdParams,
  cardholderResponseSchema,
  createCardholderSchema,
  searchCardholdersQuery,
  updateCardholderSchema,
  type CardholderInput,
  type CardholderKind,
} from './cardholder-schemas.js';
import { cardholderPhoto, changedFields, createCardholder, getCardholder, searchCardholders, updateCardholder } from './cardholder-store.js';
import { TesseraError } from '../../../shared/errors/index.js';

/** Who may look people up: the desk, and every manager and finance, who all serve cardholders. */
const READERS = ['reception', 'admin', 'finance', 'access-manager', 'logon-manager', 'print-manager', 'catering-manager', 'library-manager', 'registration-manager', 'budgets-manager'];
const tags = ['cardholders'];

export function mountCardholderRoutes(api: ApiRouter, ctx: ServiceContext, certificates: CardCertificateHooks): void {
  api.route<Record<string, never>, Record<string, never>, CardholderInput>({
    method: 'post',
    path: '/v1/cardholders',
    operationId: 'createCardholder',
    summary: 'Enrol a cardholder',
    tags,
    auth: { kind: 'staff', roles: ['reception'] },
    body: createCardholderSchema,
    successStatus: 201,
    responses: { 201: { description: 'enrolled', schema: cardholderResponseSchema } },
    handler: ({ body, principal }) =>
      ctx.db.knex.transaction(async (trx) => {
        const now = ctx.now();
        const cardholder = await createCardholder(trx, body, now);
        await appendAudit(trx, {
          actor: staffActor(principal),
          action: 'cardholder.create',
          subject: { kind: 'cardholder', id: cardholder.id },
          details: { reference: cardholder.reference, kind: cardholder.kind, fields: Object.keys(body) },
          at: now,
        });
        return cardholder;
      }),
  });

  api.route<Record<string, never>, { q?: string; kind?: CardholderKind; orgUnit?: string; limit: number; after?: string }>({
    method: 'get',
    path: '/v1/cardholders',
    operationId: 'searchCardholders',
    summary: 'Search cardholders by name, reference or external number',
    tags,
    auth: { kind: 'staff', roles: READERS },
    query: searchCardholdersQuery,
    responses: { 200: { description: 'a page of cardholders, ordered by reference' } },
    handler: async ({ query }) => {
      const items = await searchCardholders(ctx.db.knex, query);
      return { items, next: items.length === query.limit ? items[items.length - 1]!.reference : null };
    },
  });

  api.route<{ cardholderId: string }>({
    method: 'get',
    path: '/v1/cardholders/{cardholderId}',
    operationId: 'getCardholder',
    summary: 'One cardholder',
    tags,
    auth: { kind: 'staff', roles: READERS },
    params: cardholderIdParams,
    responses: { 200: { description: 'the cardholder', schema: cardholderResponseSchema } },
    handler: ({ params }) => getCardholder(ctx.db.knex, params.cardholderId, { allowErased: true }),
  });

  api.route<{ cardholderId: string }>({
    method: 'get',
    path: '/v1/cardholders/{cardholderId}/photo',
    operationId: 'getCardholderPhoto',
    summary: "The cardholder's photo",
    tags,
    auth: { kind: 'staff', roles: READERS },
    params: cardholderIdParams,
    responses: { 200: { description: 'the image', contentType: 'image/*' } },
    handler: async ({ params, res }) => {
      const photo = await cardholderPhoto(ctx.db.knex, params.cardholderId);
      if (!photo) throw new TesseraError('ERR_NOT_FOUND', 'This cardholder has no photo');
      res.type(photo.contentType).setHeader('cache-control', 'private, no-store');
      res.send(photo.bytes);
      return undefined;
    },
  });

  api.route<{ cardholderId: string }, Record<string, never>, CardholderInput>({
    method: 'patch',
    path: '/v1/cardholders/{cardholderId}',
    operationId: 'updateCardholder',
    summary: "Change a cardholder's details",
    tags,
    auth: { kind: 'staff', roles: ['reception'] },
    params: cardholderIdParams,
    body: updateCardholderSchema,
    responses: { 200: { description: 'updated', schema: cardholderResponseSchema } },
    handler: ({ params, body, principal }) =>
      ctx.db.knex.transaction(async (trx) => {
        const now = ctx.now();
        const { before, after } = await updateCardholder(trx, params.cardholderId, body, now);
        await appendAudit(trx, {
          actor: staffActor(principal),
          action: 'cardholder.update',
          subject: { kind: 'cardholder', id: after.id },
          details: { fields: changedFields(before, body) },
          at: now,
        });
        return after;
      }),
  });

  api.route<{ cardholderId: string }>({
    method: 'get',
    path: '/v1/cardholders/{cardholderId}/subject-access-export',
    operationId: 'exportCardholder',
    summary: 'Everything held about a cardholder (subject access request)',
    tags,
    auth: { kind: 'staff', roles: ['admin'] },
    params: cardholderIdParams,
    responses: { 200: { description: 'the export, as one JSON document' } },
    handler: async ({ params, principal, res }) => {
      const exported = await exportCardholder(ctx.db.knex, params.cardholderId, ctx.now(), ctx.collectSubjectData);
      await ctx.db.knex.transaction((trx) =>
        appendAudit(trx, { actor: staffActor(principal), action: 'cardholder.export', subject: { kind: 'cardholder', id: params.cardholderId }, at: ctx.now() }),
      );
      res.setHeader('content-disposition', `attachment; filename="subject-access-${params.cardholderId}.json"`);
      return exported;
    },
  });

  api.route<{ cardholderId: string }>({
    method: 'post',
    path: '/v1/cardholders/{cardholderId}/erasure',
    operationId: 'eraseCardholder',
    summary: 'Erase a cardholder: pseudonymise personal data, revoke cards, keep ledgers and audit whole',
    tags,
    auth: { kind: 'staff', roles: ['admin'] },
    params: cardholderIdParams,
    responses: { 200: { description: 'erased', schema: cardholderResponseSchema } },
    handler: ({ params, principal }) =>
      ctx.db.knex.transaction((trx) => eraseCardholder(trx, params.cardholderId, { actor: staffActor(principal), now: ctx.now(), certificates })),
  });
}
