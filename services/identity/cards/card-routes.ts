import type { ApiRouter } from '../../../shared/http/index.js';
import type { ServiceContext } from '../../../shared/service/index.js';
import type { CardCertificateHooks } from './card-certificate-hooks.js';
import { REVOCATION_REASONS, type CardAction, type RevocationReason } from './card-lifecycle.js';
import { cardResponseSchema } from './card-record.js';
import { applyCardAction, cardsOfCardholder, getCard } from './card-store.js';
import { staffActor } from './staff-actor.js';
import { getCardholder } from '../cardholders/cardholder-store.js';

const tags = ['cards'];
const DESK = ['reception'];
const LOOKUP = ['reception', 'admin'];

const cardIdParams = {
  type: 'object',
  required: ['cardId'],
  properties: { cardId: { type: 'string', format: 'uuid' } },
  additionalProperties: false,
} as const;

const noteProperty = { note: { type: 'string', maxLength: 500, description: 'why, for the audit log (no personal data)' } } as const;

export function mountCardRoutes(api: ApiRouter, ctx: ServiceContext, certificates: CardCertificateHooks): void {
  api.route<{ cardId: string }>({
    method: 'get',
    path: '/v1/cards/{cardId}',
    operationId: 'getCard',
    summary: 'One card and its lifecycle state',
    tags,
    auth: { kind: 'staff', roles: LOOKUP },
    params: cardIdParams,
    responses: { 200: { description: 'the card', schema: cardResponseSchema } },
    handler: ({ params }) => getCard(ctx.db.knex, params.cardId, ctx.now()),
  });

  api.route<{ cardholderId: string }>({
    method: 'get',
    path: '/v1/cardholders/{cardholderId}/cards',
    operationId: 'listCardsOfCardholder',
    summary: "A cardholder's cards, newest first",
    tags,
    auth: { kind: 'staff', roles: LOOKUP },
    params: { type: 'object', required: ['cardholderId'], properties: { cardholderId: { type: 'string', format: 'uuid' } }, additionalProperties: false },
    responses: { 200: { description: 'the cards' } },
    handler: async ({ params }) => {
      await getCardholder(ctx.db.knex, params.cardholderId, { allowErased: true });
      return { items: await cardsOfCardholder(ctx.db.knex, params.cardholderId, ctx.now()) };
    },
  });

  const lifecycleRoute = (
    verb: 'activate' | 'suspend' | 'resume' | 'revoke',
    summary: string,
    body: Record<string, unknown>,
    toAction: (body: { reason?: RevocationReason }) => CardAction,
  ) =>
    api.route<{ cardId: string }, Record<string, never>, { reason?: RevocationReason; note?: string }>({
      method: 'post',
      path: `/v1/cards/{cardId}/${verb}`,
      operationId: `${verb}Card`,
      summary,
      tags,
      auth: { kind: 'staff', roles: DESK },
      params: cardIdParams,
      body,
      responses: { 200: { description: 'the card after the change', schema: cardResponseSchema } },
      handler: ({ params, body: input, principal }) =>
        ctx.db.knex.transaction((trx) =>
          applyCardAction(trx, params.cardId, toAction(input), {
            actor: staffActor(principal),
            now: ctx.now(),
            certificates,
            ...(input.note ? { details: { note: input.note } } : {}),
          }),
        ),
    });

  const optionalNote = { type: 'object', properties: noteProperty, additionalProperties: false } as const;
  lifecycleRoute('activate', 'Activate an issued card (hand-over at the desk)', optionalNote, () => ({ kind: 'activate' }));
  lifecycleRoute('suspend', 'Suspend a card: refused at every reader until resumed', optionalNote, () => ({ kind: 'suspend' }));
  lifecycleRoute('resume', 'Resume a suspended card', optionalNote, () => ({ kind: 'resume' }));
  lifecycleRoute(
    'revoke',
    'Revoke a card for good: refused at every reader and listed in the CRL',
    { type: 'object', required: ['reason'], properties: { reason: { type: 'string', enum: REVOCATION_REASONS }, ...noteProperty }, additionalProperties: false },
    (input) => ({ kind: 'revoke', reason: input.reason! }),
  );
}
