import type { ModuleApi, ModuleContext } from '../../../../shared/modules/index.js';
import { settleAllFsm } from '../fsm-job.js';
import { refundSale } from '../refund.js';
import { pupilStatement, takingsPerTillPerDay } from '../reports.js';
import { topUp } from '../top-up.js';
import { anyObject, dateRangeQuery, idempotencyKeyOf, MANAGES, READS, staffIdOf, TOPS_UP, uuid } from './schemas.js';

const cardholderParams = { type: 'object', additionalProperties: false, required: ['cardholderId'], properties: { cardholderId: uuid } } as const;
const keyNote = 'Requires an `Idempotency-Key` header: the same key and body apply once and answer the same again; another body is refused with 409.';

/** Top-ups, refunds, the FSM run and the reports. */
export function mountMoneyRoutes(api: ModuleApi, ctx: ModuleContext): void {
  const tags = ['catering'];
  api.route<{ cardholderId: string }, Record<string, unknown>, { amountPence: number; reference?: string }>({
    method: 'post', path: '/pupils/{cardholderId}/top-ups', operationId: 'topUpCateringPurse', summary: "Credit a parental top-up to the pupil's purse",
    description: keyNote, tags, auth: TOPS_UP, params: cardholderParams, successStatus: 201,
    body: { type: 'object', additionalProperties: false, required: ['amountPence'], properties: { amountPence: { type: 'integer', minimum: 1, maximum: 100000 }, reference: { type: 'string', maxLength: 100 } } },
    responses: { 201: { description: 'the ledger transfer and the purse balance after it', schema: anyObject } },
    handler: async ({ params, body, principal, req, res }) => {
      const outcome = await topUp(ctx.knex, { cardholderId: params.cardholderId, amountPence: body.amountPence, reference: body.reference, idempotencyKey: idempotencyKeyOf(req), staffId: principal?.id ?? null }, ctx.now);
      if (outcome.replayed) res.setHeader('idempotent-replayed', 'true');
      return { transferId: outcome.result.transfer.id, amountPence: outcome.result.transfer.amount, balancePence: outcome.result.creditBalanceAfter };
    },
  });
  api.route<{ saleId: string }, Record<string, unknown>, { amountPence?: number; reason: string }>({
    method: 'post', path: '/sales/{saleId}/refunds', operationId: 'refundCateringSale', summary: 'Refund all or part of a sale (parents\' money first)',
    description: keyNote, tags, auth: MANAGES, successStatus: 201,
    params: { type: 'object', additionalProperties: false, required: ['saleId'], properties: { saleId: uuid } },
    body: { type: 'object', additionalProperties: false, required: ['reason'], properties: { amountPence: { type: 'integer', minimum: 1, maximum: 100000000 }, reason: { type: 'string', minLength: 1, maxLength: 200 } } },
    responses: { 201: { description: 'the refund', schema: anyObject } },
    handler: async ({ params, body, principal, req, res }) => {
      const { refund, replayed } = await refundSale(ctx.knex, { saleId: params.saleId, amountPence: body.amountPence, reason: body.reason, idempotencyKey: idempotencyKeyOf(req), staffId: staffIdOf(principal) }, ctx.now(), ctx.timeZone);
      if (replayed) res.setHeader('idempotent-replayed', 'true');
      return refund;
    },
  });
  api.route({
    method: 'post', path: '/fsm/settle', operationId: 'settleCateringFsm', summary: "Expire yesterday's unused free school meal allowances and credit today's (safe to run twice or late)",
    tags, auth: MANAGES,
    responses: { 200: { description: 'the school day settled and how many pupils', schema: anyObject } },
    handler: () => settleAllFsm(ctx.knex, ctx.now(), ctx.timeZone),
  });
  api.route<Record<string, string>, { from: string; to: string; schoolId?: string }>({
    method: 'get', path: '/reports/takings', operationId: 'cateringTakings', summary: 'Takings per till per school day',
    tags, auth: READS, query: dateRangeQuery,
    responses: { 200: { description: 'one row per till and day', schema: anyObject } },
    handler: async ({ query }) => ({ rows: await takingsPerTillPerDay(ctx.knex, query) }),
  });
  api.route<{ cardholderId: string }, { from: string; to: string }>({
    method: 'get', path: '/pupils/{cardholderId}/statement', operationId: 'cateringPupilStatement', summary: "A pupil's statement: balances, sales with baskets, purse and FSM lines",
    tags, auth: READS, params: cardholderParams,
    query: { type: 'object', additionalProperties: false, required: ['from', 'to'], properties: { from: { type: 'string', format: 'date' }, to: { type: 'string', format: 'date' } } },
    responses: { 200: { description: 'the statement', schema: anyObject } },
    handler: ({ params, query }) => pupilStatement(ctx.knex, params.cardholderId, query, ctx.timeZone),
  });
}
