import type { ApiRouter } from '../../../shared/http/index.js';
import { TesseraError } from '../../../shared/errors/index.js';
import { staffActor } from '../cards/index.js';
import { abandonIssuance } from './abandon-issuance.js';
import { changePinAtDesk, unblockPinAtDesk } from './desk-pin.js';
import type { IssuanceDeps } from './issuance-deps.js';
import { leaseIsLive, parseProgress, progressSummary } from './issuance-progress.js';
import { changePinBody, unblockPinBody, uuidParams } from './issuance-schemas.js';
import { getCardRow } from './issuance-store.js';

const tags = ['issuance'];
const DESK = { kind: 'staff', roles: ['reception'] } as const;
const pinDone = { 200: { description: 'done', schema: { type: 'object', properties: { cardId: { type: 'string', format: 'uuid' } } } } };

/** The desk's other work on cards: PINs, the readers, and issuances that did not finish. */
export function mountDeskRoutes(api: ApiRouter, deps: IssuanceDeps): void {
  api.route({
    method: 'get',
    path: '/v1/desk-readers',
    operationId: 'listDeskReaders',
    summary: 'The desk readers cards can be issued on, and whether a card is in them',
    tags,
    auth: DESK,
    responses: { 200: { description: 'the desk readers' } },
    handler: async () => ({ items: await deps.deskReaders.list() }),
  });

  api.route<{ cardId: string }, Record<string, never>, { deskReader: string; currentPin: string; newPin: string }>({
    method: 'post',
    path: '/v1/cards/{cardId}/pin/change',
    operationId: 'changeCardPin',
    summary: 'Change the PIN of the card in a desk reader; the cardholder gives the current PIN',
    tags,
    auth: DESK,
    params: uuidParams('cardId'),
    body: changePinBody,
    responses: pinDone,
    handler: ({ params, body, principal }) => changePinAtDesk(deps, { cardId: params.cardId, ...body, actor: staffActor(principal) }),
  });

  api.route<{ cardId: string }, Record<string, never>, { deskReader: string; newPin: string }>({
    method: 'post',
    path: '/v1/cards/{cardId}/pin/unblock',
    operationId: 'unblockCardPin',
    summary: "Set a new PIN on a card whose PIN is forgotten or blocked, with the card's PUK (which never leaves the platform)",
    description: 'A card whose PUK is blocked can never be unblocked: it is revoked (reason damaged) and the answer is 409 ERR_CARD_DEAD; replace it.',
    tags,
    auth: DESK,
    params: uuidParams('cardId'),
    body: unblockPinBody,
    responses: pinDone,
    handler: ({ params, body, principal }) => unblockPinAtDesk(deps, { cardId: params.cardId, ...body, actor: staffActor(principal) }),
  });

  api.route<{ cardId: string }>({
    method: 'get',
    path: '/v1/cards/{cardId}/issuance',
    operationId: 'getCardIssuance',
    summary: "A card's issuance: the steps done, what comes next, its certificates",
    tags,
    auth: { kind: 'staff', roles: ['reception', 'admin'] },
    params: uuidParams('cardId'),
    responses: { 200: { description: 'the issuance record (never secrets)' } },
    handler: async ({ params }) => ({ cardId: params.cardId, ...progressSummary(parseProgress((await getCardRow(deps.db.knex, params.cardId)).issuance)) }),
  });

  api.route<{ cardId: string }>({
    method: 'delete',
    path: '/v1/cards/{cardId}/issuance',
    operationId: 'abandonCardIssuance',
    summary: 'Give up an issuance that did not finish: its certificates are revoked and the record goes; the half-issued card is spoiled stock',
    tags,
    auth: DESK,
    params: uuidParams('cardId'),
    responses: { 200: { description: 'abandoned', schema: { type: 'object', properties: { certificatesRevoked: { type: 'array', items: { type: 'string' } } } } } },
    handler: ({ params, principal }) =>
      deps.db.knex.transaction(async (trx) => {
        const now = deps.now();
        const row = await getCardRow(trx, params.cardId, { forUpdate: true });
        if (row.status !== 'issuing') throw new TesseraError('ERR_NOT_ISSUING', `Card ${row.id} is ${row.status}, not being issued`, { cardId: row.id });
        if (leaseIsLive(parseProgress(row.issuance), now)) {
          throw new TesseraError('ERR_ISSUANCE_IN_PROGRESS', `Card ${row.id} is being issued right now`, { cardId: row.id });
        }
        return abandonIssuance(trx, row, { pki: deps.pki, actor: staffActor(principal), now, because: 'abandoned at the desk' });
      }),
  });
}
