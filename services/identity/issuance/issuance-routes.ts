import type { ApiRouter, RouteInput } from '../../../shared/http/index.js';
import { TesseraError } from '../../../shared/errors/index.js';
import { getCard, staffActor } from '../cards/index.js';
import type { IssuanceRequest } from './begin-issuance.js';
import { idempotencyDescription, idempotent, requestFingerprint } from './idempotent-request.js';
import type { IssuanceDeps } from './issuance-deps.js';
import { issuedCardResponseSchema, issueCardBody, renewCardBody, replaceCardBody, temporaryCardBody, uuidParams, type IssueBody, type ReplaceBody } from './issuance-schemas.js';
import { issueCard, type IssuedCard } from './issue-card.js';

const tags = ['issuance'];
const DESK = { kind: 'staff', roles: ['reception'] } as const;
const created = { 201: { description: 'the card, issued (or active when asked), with its certificates', schema: issuedCardResponseSchema } };

function asResponse(issued: IssuedCard) {
  return { ...issued.card, certificates: issued.certificates, resumed: issued.resumed };
}

/** The desk's card-creating routes: issue, temporary card, replace, renew. */
export function mountIssuanceRoutes(api: ApiRouter, deps: IssuanceDeps): void {
  /** One card-creating request, once per Idempotency-Key. */
  const run = (input: RouteInput<Record<string, string>, unknown, Record<string, unknown>>, operation: string, target: string, request: () => Promise<IssuanceRequest>) =>
    idempotent(deps.db.knex, input, operation, requestFingerprint(operation, target, input.body), async () => asResponse(await issueCard(deps, await request())), deps.now);

  api.route<{ cardholderId: string }, Record<string, never>, IssueBody>({
    method: 'post',
    path: '/v1/cardholders/{cardholderId}/cards',
    operationId: 'issueCard',
    summary: 'Issue a card on a blank card in a desk reader (resumes an interrupted issuance)',
    description: idempotencyDescription,
    tags,
    auth: DESK,
    params: uuidParams('cardholderId'),
    body: issueCardBody,
    successStatus: 201,
    responses: created,
    handler: (input) =>
      run(input as never, 'issue', input.params.cardholderId, async () => ({
        ...common(input.body, input.principal),
        cardholderId: input.params.cardholderId,
        purpose: 'new',
        activate: input.body.activate,
        expiresAt: input.body.expiresAt,
      })),
  });

  api.route<{ cardholderId: string }, Record<string, never>, Omit<IssueBody, 'activate' | 'expiresAt'>>({
    method: 'post',
    path: '/v1/cardholders/{cardholderId}/temporary-cards',
    operationId: 'issueTemporaryCard',
    summary: 'Issue a temporary card for a forgotten card: valid until midnight, the main card suspended until then',
    description: idempotencyDescription,
    tags,
    auth: DESK,
    params: uuidParams('cardholderId'),
    body: temporaryCardBody,
    successStatus: 201,
    responses: created,
    handler: (input) =>
      run(input as never, 'temporary', input.params.cardholderId, async () => ({
        ...common(input.body, input.principal),
        cardholderId: input.params.cardholderId,
        purpose: 'temporary',
        activate: true,
      })),
  });

  api.route<{ cardId: string }, Record<string, never>, ReplaceBody>({
    method: 'post',
    path: '/v1/cards/{cardId}/replace',
    operationId: 'replaceCard',
    summary: 'Revoke a lost, stolen or damaged card and issue its replacement; modules keep their data on the cardholder',
    description: idempotencyDescription,
    tags,
    auth: DESK,
    params: uuidParams('cardId'),
    body: replaceCardBody,
    successStatus: 201,
    responses: created,
    handler: (input) =>
      run(input as never, 'replace', input.params.cardId, async () => ({
        ...common(input.body, input.principal),
        cardholderId: await standardCardholderOf(deps, input.params.cardId),
        purpose: 'replace',
        replacesCardId: input.params.cardId,
        revocationReason: input.body.reason,
        activate: input.body.activate,
        expiresAt: input.body.expiresAt,
      })),
  });

  api.route<{ cardId: string }, Record<string, never>, IssueBody>({
    method: 'post',
    path: '/v1/cards/{cardId}/renew',
    operationId: 'renewCard',
    summary: 'Issue the successor of a card near its expiry; the old card is superseded when the new one is complete',
    description: `Only within TESSERA_RENEWAL_WINDOW_DAYS of the old card's expiry. ${idempotencyDescription}`,
    tags,
    auth: DESK,
    params: uuidParams('cardId'),
    body: renewCardBody,
    successStatus: 201,
    responses: created,
    handler: (input) =>
      run(input as never, 'renew', input.params.cardId, async () => ({
        ...common(input.body, input.principal),
        cardholderId: await standardCardholderOf(deps, input.params.cardId),
        purpose: 'renew',
        replacesCardId: input.params.cardId,
        activate: input.body.activate,
        expiresAt: input.body.expiresAt,
      })),
  });
}

function common(body: { deskReader: string; pin: string; algorithm?: 'rsa2048' | 'p256' }, principal: RouteInput<unknown, unknown, unknown>['principal']) {
  return { deskReader: body.deskReader, pin: body.pin, algorithm: body.algorithm ?? 'p256', actor: staffActor(principal) } as const;
}

async function standardCardholderOf(deps: IssuanceDeps, cardId: string): Promise<string> {
  const card = await getCard(deps.db.knex, cardId, deps.now());
  if (card.kind !== 'standard') {
    throw new TesseraError('ERR_CARD_NOT_SERVICEABLE', `Card ${cardId} is a temporary card: it ends at midnight and is not replaced or renewed`, { cardId });
  }
  return card.cardholderId;
}
