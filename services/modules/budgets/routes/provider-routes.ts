import type { ModuleApi, ModuleContext } from '../../../../shared/modules/index.js';
import { getProvider } from '../budget-store.js';
import { createProvider, putTerminal, setRecipientHold, updateProvider, type ProviderInput } from '../providers.js';
import { reconciliation, recipientStatement } from '../reports.js';
import { findRecipient } from '../budget-store.js';
import { TesseraError } from '../../../../shared/errors/index.js';
import { anyObject, categories, date, idParams, PROVIDERS, READS, staffIdOf } from './schemas.js';

/** Providers and terminals, recipients' holds, statements and the reconciliation report. */
export function mountProviderRoutes(api: ModuleApi, ctx: ModuleContext): void {
  const tags = ['budgets'];
  const providerFields = { name: { type: 'string', minLength: 1, maxLength: 200 }, categories, status: { enum: ['approved', 'suspended'] } } as const;
  api.route<Record<string, string>, Record<string, unknown>, ProviderInput>({
    method: 'post', path: '/providers', operationId: 'createBudgetProvider', summary: 'Approve a provider for some spending categories',
    tags, auth: PROVIDERS, successStatus: 201,
    body: { type: 'object', additionalProperties: false, required: ['name', 'categories'], properties: providerFields },
    responses: { 201: { description: 'the provider', schema: anyObject } },
    handler: ({ body, principal }) => createProvider(ctx.knex, body, staffIdOf(principal)),
  });
  api.route<{ providerId: string }, Record<string, unknown>, Partial<ProviderInput>>({
    method: 'patch', path: '/providers/{providerId}', operationId: 'updateBudgetProvider', summary: "Change a provider's name, categories or approval",
    tags, auth: PROVIDERS, params: idParams('providerId'),
    body: { type: 'object', additionalProperties: false, properties: providerFields },
    responses: { 200: { description: 'the provider', schema: anyObject } },
    handler: ({ params, body, principal }) => updateProvider(ctx.knex, params.providerId, body, staffIdOf(principal)),
  });
  api.route<{ providerId: string }>({
    method: 'get', path: '/providers/{providerId}', operationId: 'getBudgetProvider', summary: 'A provider', tags, auth: READS, params: idParams('providerId'),
    responses: { 200: { description: 'the provider', schema: anyObject } },
    handler: ({ params }) => getProvider(ctx.knex, params.providerId),
  });
  api.route<{ readerId: string }, Record<string, unknown>, { providerId: string }>({
    method: 'put', path: '/terminals/{readerId}', operationId: 'putBudgetTerminal', summary: "Make a registered reader one of a provider's terminals",
    tags, auth: PROVIDERS,
    params: { type: 'object', additionalProperties: false, required: ['readerId'], properties: { readerId: { type: 'string', minLength: 1, maxLength: 100 } } },
    body: { type: 'object', additionalProperties: false, required: ['providerId'], properties: { providerId: { type: 'string', format: 'uuid' } } },
    responses: { 200: { description: 'the terminal', schema: anyObject } },
    handler: ({ params, body, principal }) => putTerminal(ctx.knex, params.readerId, body.providerId, staffIdOf(principal)),
  });
  api.route<{ recipient: string }, Record<string, unknown>, { onHold: boolean }>({
    method: 'put', path: '/recipients/{recipient}/hold', operationId: 'holdBudgetRecipient', summary: "Put a recipient's budget spending on hold, or lift it",
    tags, auth: PROVIDERS,
    params: { type: 'object', additionalProperties: false, required: ['recipient'], properties: { recipient: { type: 'string', minLength: 1, maxLength: 64 } } },
    body: { type: 'object', additionalProperties: false, required: ['onHold'], properties: { onHold: { type: 'boolean' } } },
    responses: { 200: { description: 'the hold', schema: anyObject } },
    handler: ({ params, body, principal }) => setRecipientHold(ctx.knex, params.recipient, body.onHold, staffIdOf(principal)),
  });
  api.route<{ recipient: string }>({
    method: 'get', path: '/recipients/{recipient}/statement', operationId: 'budgetRecipientStatement', summary: "A recipient's budgets: loads, spending, clawback, ledger lines",
    tags, auth: READS,
    params: { type: 'object', additionalProperties: false, required: ['recipient'], properties: { recipient: { type: 'string', minLength: 1, maxLength: 64 } } },
    responses: { 200: { description: 'the statement', schema: anyObject } },
    handler: async ({ params }) => {
      const found = await findRecipient(ctx.knex, params.recipient);
      if (!found) throw new TesseraError('ERR_BUDGET_RECIPIENT_UNKNOWN', `No care recipient ${params.recipient}`);
      return recipientStatement(ctx.knex, found.id);
    },
  });
  api.route<Record<string, string>, { from: string; to: string }>({
    method: 'get', path: '/reports/reconciliation', operationId: 'budgetReconciliation', summary: 'Per budget and provider: loaded, spent, clawed back, balances, and whether they reconcile',
    tags, auth: READS,
    query: { type: 'object', additionalProperties: false, required: ['from', 'to'], properties: { from: date, to: date } },
    responses: { 200: { description: 'the reconciliation', schema: anyObject } },
    handler: ({ query }) => reconciliation(ctx.knex, query),
  });
}
