import type { ModuleApi, ModuleContext } from '../../../../shared/modules/index.js';
import { balanceOf } from '../../../../shared/ledger/index.js';
import { getPupil, getSchool } from '../catering-store.js';
import { settleAllFsm } from '../fsm-job.js';
import { listAlerts, thresholdOf } from '../low-balance.js';
import { refundSale } from '../refund.js';
import { pupilStatement, takingsPerTillPerDay } from '../reports.js';
import { topUp } from '../top-up.js';
import { anyObject, dateRangeQuery, idempotencyKeyOf, MANAGES, READS, staffIdOf, TOPS_UP, uuid } from './schemas.js';

const cardholderParams = { type: 'object', additionalProperties: false, required: ['cardholderId'], properties: { cardholderId: uuid } } as const;
const alertQuery = {
  open: { type: 'boolean' },
  after: { type: 'integer', minimum: 0, description: 'only alerts with a larger id: pass the `next` of the previous answer' },
  limit: { type: 'integer', minimum: 1, maximum: 500, default: 100 },
} as const;
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
  api.route<{ cardholderId: string }, { open?: boolean; after?: number; limit: number }>({
    method: 'get', path: '/pupils/{cardholderId}/alerts', operationId: 'cateringPupilAlerts',
    summary: "A pupil's low-balance alerts (one each time a purchase took the purse below the threshold), with the threshold and purse balance now",
    description: 'An alert is open (`resolvedAt` null) until the purse is at or above the threshold again. Poll with `after` = the `next` of the previous answer.',
    tags, auth: TOPS_UP, params: cardholderParams,
    query: { type: 'object', additionalProperties: false, properties: alertQuery },
    responses: { 200: { description: 'the threshold, the balance and the alerts, oldest first', schema: anyObject } },
    handler: async ({ params, query }) => {
      const pupil = await getPupil(ctx.knex, params.cardholderId);
      const school = await getSchool(ctx.knex, pupil.schoolId);
      const page = await listAlerts(ctx.knex, { ...query, cardholderId: pupil.cardholderId });
      return { cardholderId: pupil.cardholderId, thresholdPence: thresholdOf(pupil, school), balancePence: await balanceOf(ctx.knex, pupil.purseAccountId), ...page };
    },
  });
  api.route<Record<string, string>, { schoolId?: string; open?: boolean; after?: number; limit: number }>({
    method: 'get', path: '/alerts', operationId: 'cateringAlerts', summary: 'Low-balance alerts across pupils (optionally one school), oldest first, for polling',
    description: 'Poll with `after` = the `next` of the previous answer to get only new alerts; `open=true` for those not yet resolved by a top-up.',
    tags, auth: TOPS_UP,
    query: { type: 'object', additionalProperties: false, properties: { schoolId: uuid, ...alertQuery } },
    responses: { 200: { description: 'the alerts and the cursor for the next poll', schema: anyObject } },
    handler: ({ query }) => listAlerts(ctx.knex, query),
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
