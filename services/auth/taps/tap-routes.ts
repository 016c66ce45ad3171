import { TesseraError } from '../../../shared/errors/index.js';
import type { ApiRouter } from '../../../shared/http/index.js';
import type { AuthRuntime } from '../auth-runtime.js';
import { currentReader } from '../readers/reader-authenticator.js';
import { answerTap, type TapAnswer } from './answer-tap.js';
import { issueChallenge, type ChallengeRequest } from './issue-challenge.js';
import { tapHistory, type TapQuery } from './tap-history.js';
import { tapOutcomeSchema } from './tap-outcome.js';
import { challengeBody, challengeSchema, listTapsQuery, responseBody, tapIdParams, tapPageSchema } from './tap-schemas.js';

const READER = { kind: 'reader' } as const;
const tags = ['taps'];

/** The tap protocol (docs/tap-protocol.md): challenge, answer, and the record for staff. */
export function mountTapRoutes(api: ApiRouter, rt: AuthRuntime): void {
  api.route<Record<string, string>, Record<string, unknown>, ChallengeRequest>({
    method: 'post',
    path: '/v1/taps',
    operationId: 'createTapChallenge',
    summary: 'Ask for a challenge for one tap: bound to this reader, purpose and target; single use; short-lived',
    tags,
    auth: READER,
    body: challengeBody,
    successStatus: 201,
    responses: { 201: { description: 'the challenge and how to sign it', schema: challengeSchema } },
    handler: ({ req, body }) => issueChallenge(rt, currentReader(req), body),
  });

  api.route<{ tapId: string }, Record<string, unknown>, TapAnswer>({
    method: 'post',
    path: '/v1/taps/{tapId}/response',
    operationId: 'answerTapChallenge',
    summary: "Answer a challenge with the card's certificate and signature; get the decision and its signed token",
    description: 'Always 200 with `decision` granted or denied and a machine-readable `reason` once the request is well formed.',
    tags,
    auth: READER,
    params: tapIdParams,
    body: responseBody,
    responses: { 200: { description: 'the decision', schema: tapOutcomeSchema } },
    handler: ({ req, params, body }) => {
      if ((body.certificate === undefined) === (body.certificateRef === undefined)) {
        throw new TesseraError('ERR_VALIDATION', 'send exactly one of certificate and certificateRef', {
          errors: [{ in: 'body', pointer: '/certificate', message: 'exactly one of certificate and certificateRef' }],
        });
      }
      return answerTap(rt, currentReader(req), params.tapId, body);
    },
  });

  api.route<Record<string, string>, TapQuery>({
    method: 'get',
    path: '/v1/taps',
    operationId: 'listTaps',
    summary: 'Recent taps of one reader or one cardholder, granted or not, newest first',
    tags,
    auth: { kind: 'staff', roles: ['admin'] },
    query: listTapsQuery,
    responses: { 200: { description: 'one page of taps', schema: tapPageSchema } },
    handler: ({ query }) => {
      if (!query.readerId && !query.cardholderId) {
        throw new TesseraError('ERR_VALIDATION', 'name a readerId or a cardholderId', { errors: [{ in: 'query', pointer: '/readerId', message: 'readerId or cardholderId is required' }] });
      }
      return tapHistory(rt.knex, query);
    },
  });
}
