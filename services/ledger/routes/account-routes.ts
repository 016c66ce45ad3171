import type { ApiRouter } from '../../../shared/http/index.js';
import { accountStatement, getAccount, openAccount, type AccountKind } from '../../../shared/ledger/index.js';
import type { ServiceContext } from '../../../shared/service/index.js';
import { accountIdParams, accountSchema, openAccountBody, statementQuery, statementSchema } from './schemas.js';

const FINANCE = { kind: 'staff', roles: ['finance', 'admin'] } as const;

interface OpenAccountBody {
  kind: AccountKind;
  currency?: string;
  floor?: number | null;
  label?: string | null;
  ownerRef?: string | null;
}

export function mountAccountRoutes(api: ApiRouter, ctx: ServiceContext): void {
  api.route<Record<string, string>, Record<string, unknown>, OpenAccountBody>({
    method: 'post',
    path: '/v1/ledger/accounts',
    operationId: 'openLedgerAccount',
    summary: 'Open a ledger account (balance 0) with its floor',
    description: 'The floor defaults by kind: 0 for purse, budget, provider and till_takings; none (null) for funding and suspense.',
    tags: ['ledger'],
    auth: FINANCE,
    body: openAccountBody,
    successStatus: 201,
    responses: { 201: { description: 'the new account', schema: accountSchema } },
    handler: ({ body }) => openAccount(ctx.db, body),
  });

  api.route<{ accountId: string }>({
    method: 'get',
    path: '/v1/ledger/accounts/{accountId}',
    operationId: 'getLedgerAccount',
    summary: 'An account with its balance',
    tags: ['ledger'],
    auth: FINANCE,
    params: accountIdParams,
    responses: { 200: { description: 'the account', schema: accountSchema } },
    handler: ({ params }) => getAccount(ctx.db, params.accountId),
  });

  api.route<{ accountId: string }, { after?: string; limit: number }>({
    method: 'get',
    path: '/v1/ledger/accounts/{accountId}/statement',
    operationId: 'getLedgerStatement',
    summary: "An account's entries in order with the running balance, a page at a time",
    tags: ['ledger'],
    auth: FINANCE,
    params: accountIdParams,
    query: statementQuery,
    responses: { 200: { description: 'one page of the statement', schema: statementSchema } },
    handler: ({ params, query }) =>
      accountStatement(ctx.db, params.accountId, { limit: query.limit, ...(query.after ? { after: query.after } : {}) }),
  });
}
