import type { ModuleApi, ModuleContext } from '../../../../shared/modules/index.js';
import { getBudget } from '../budget-store.js';
import { approveLoad } from '../budgets.js';
import { clawBack, clawBackEnded } from '../clawback.js';
import { contributionSummary, payContribution } from '../contributions.js';
import { approveUpload, uploadCsv } from '../csv-upload.js';
import { createBudget, loadBudget, type CreateBudgetRequest } from '../single-loads.js';
import { anyObject, categories, date, FINANCE, idempotencyKeyOf, idParams, keyNote, READS, staffIdOf } from './schemas.js';

/** Budgets, loads (single and CSV), second approval and clawback: finance's routes. */
export function mountBudgetRoutes(api: ModuleApi, ctx: ModuleContext): void {
  const tags = ['budgets'];
  const threshold = () => ctx.config.budgetApprovalThresholdPence;
  const amount = { type: 'integer', minimum: 1, maximum: 100000000 } as const;
  const contribution = { type: 'integer', minimum: 0, maximum: 100000000, description: "the client's assessed share: the council loads amountPence minus this, and the client pays it in" } as const;

  api.route<Record<string, string>, Record<string, unknown>, CreateBudgetRequest>({
    method: 'post', path: '/budgets', operationId: 'createBudget', summary: 'Create a budget for a care recipient with its period, categories and first load',
    description: `${keyNote} With contributionPence the council loads amountPence minus it (the load's amountPence), and the client pays the contribution in. A load above TESSERA_BUDGET_APPROVAL_THRESHOLD_PENCE (net) waits for a second finance approver.`,
    tags, auth: FINANCE, successStatus: 201,
    body: {
      type: 'object', additionalProperties: false, required: ['recipient', 'periodStart', 'periodEnd', 'categories', 'amountPence'],
      properties: { recipient: { type: 'string', minLength: 1, maxLength: 64 }, periodStart: date, periodEnd: date, categories, amountPence: amount, contributionPence: contribution },
    },
    responses: { 201: { description: 'the budget and its first load', schema: anyObject } },
    handler: async ({ body, principal, req, res }) => {
      const { replayed, ...result } = await createBudget(ctx.knex, body, { staffId: staffIdOf(principal), idempotencyKey: idempotencyKeyOf(req), now: ctx.now(), thresholdPence: threshold() });
      if (replayed) res.setHeader('idempotent-replayed', 'true');
      return result;
    },
  });
  api.route<{ budgetId: string }>({
    method: 'get', path: '/budgets/{budgetId}', operationId: 'getBudget', summary: 'A budget, with the client contribution due, paid and outstanding', tags, auth: READS, params: idParams('budgetId'),
    responses: { 200: { description: 'the budget', schema: anyObject } },
    handler: async ({ params }) => {
      const budget = await getBudget(ctx.knex, params.budgetId);
      return { ...budget, contribution: await contributionSummary(ctx.knex, budget.id) };
    },
  });
  api.route<{ budgetId: string }, Record<string, unknown>, { amountPence: number; contributionPence?: number }>({
    method: 'post', path: '/budgets/{budgetId}/loads', operationId: 'loadBudget', summary: 'Load money onto a budget (net of the client contribution, if any)',
    description: keyNote, tags, auth: FINANCE, params: idParams('budgetId'), successStatus: 201,
    body: { type: 'object', additionalProperties: false, required: ['amountPence'], properties: { amountPence: amount, contributionPence: contribution } },
    responses: { 201: { description: 'the load (applied, or pending a second approver)', schema: anyObject } },
    handler: async ({ params, body, principal, req, res }) => {
      const { load, replayed } = await loadBudget(ctx.knex, params.budgetId, body, { staffId: staffIdOf(principal), idempotencyKey: idempotencyKeyOf(req), now: ctx.now(), thresholdPence: threshold() });
      if (replayed) res.setHeader('idempotent-replayed', 'true');
      return load;
    },
  });
  api.route<{ budgetId: string }, Record<string, unknown>, { amountPence: number; reference?: string }>({
    method: 'post', path: '/budgets/{budgetId}/contributions', operationId: 'payBudgetContribution', summary: "Record the client's payment-in of their contribution to the budget",
    description: `${keyNote} At most the contribution still outstanding (422 ERR_BUDGET_CONTRIBUTION_EXCEEDS_DUE); not on a closed budget (409).`,
    tags, auth: FINANCE, params: idParams('budgetId'), successStatus: 201,
    body: { type: 'object', additionalProperties: false, required: ['amountPence'], properties: { amountPence: amount, reference: { type: 'string', minLength: 1, maxLength: 100 } } },
    responses: { 201: { description: 'the payment-in', schema: anyObject } },
    handler: async ({ params, body, principal, req, res }) => {
      const { contribution, replayed } = await payContribution(ctx.knex, { budgetId: params.budgetId, amountPence: body.amountPence, reference: body.reference, idempotencyKey: idempotencyKeyOf(req), staffId: staffIdOf(principal) }, ctx.now());
      if (replayed) res.setHeader('idempotent-replayed', 'true');
      // Only the record itself, so a replay answers exactly as the first time; GET the budget for what is outstanding now.
      return contribution;
    },
  });
  api.route<{ loadId: string }>({
    method: 'post', path: '/loads/{loadId}/approval', operationId: 'approveBudgetLoad', summary: 'Second approval of a load above the threshold (by another member of finance)',
    tags, auth: FINANCE, params: idParams('loadId'),
    responses: { 200: { description: 'the applied load', schema: anyObject } },
    handler: ({ params, principal }) => approveLoad(ctx.knex, params.loadId, staffIdOf(principal), ctx.now()),
  });
  api.route<Record<string, string>, Record<string, unknown>, string>({
    method: 'post', path: '/uploads', operationId: 'uploadBudgets', summary: 'Create and load budgets from a CSV file, all or nothing',
    description: 'Body: text/csv, UTF-8, header `recipient,period_start,period_end,amount,categories`. Every bad row is reported (422, `errors: [{row, field, message}]`) and nothing is loaded. The same file again answers the first upload.',
    tags, auth: FINANCE, bodyContentType: 'text/csv', body: { type: 'string', maxLength: 5000000 }, successStatus: 201,
    responses: { 201: { description: 'the upload (applied, or pending a second approver)', schema: anyObject } },
    handler: async ({ body, principal, res }) => {
      const { upload, replayed } = await uploadCsv(ctx.knex, body, { staffId: staffIdOf(principal), now: ctx.now(), thresholdPence: threshold() });
      if (replayed) res.setHeader('idempotent-replayed', 'true');
      return upload;
    },
  });
  api.route<{ uploadId: string }>({
    method: 'post', path: '/uploads/{uploadId}/approval', operationId: 'approveBudgetUpload', summary: 'Second approval of an upload above the threshold',
    tags, auth: FINANCE, params: idParams('uploadId'),
    responses: { 200: { description: 'the applied upload', schema: anyObject } },
    handler: ({ params, principal }) => approveUpload(ctx.knex, params.uploadId, staffIdOf(principal), ctx.now()),
  });
  api.route<{ budgetId: string }>({
    method: 'post', path: '/budgets/{budgetId}/clawback', operationId: 'clawBackBudget', summary: 'Return what is left of an ended budget to the funding account and close it',
    tags, auth: FINANCE, params: idParams('budgetId'),
    responses: { 200: { description: 'the closed budget', schema: anyObject } },
    handler: ({ params, principal }) => clawBack(ctx.knex, params.budgetId, staffIdOf(principal), ctx.now(), ctx.timeZone),
  });
  api.route({
    method: 'post', path: '/clawback', operationId: 'clawBackEndedBudgets', summary: 'Claw back every budget whose period has ended',
    tags, auth: FINANCE,
    responses: { 200: { description: 'how many closed and how much came back', schema: anyObject } },
    handler: ({ principal }) => clawBackEnded(ctx.knex, staffIdOf(principal), ctx.now(), ctx.timeZone),
  });
}
