import type { Response } from 'express';
import type { ApiRouter } from '../../../shared/http/index.js';
import { getTransferRecord, reverseTransfer, type TransferInput, type TransferOutcome } from '../../../shared/ledger/index.js';
import type { ServiceContext } from '../../../shared/service/index.js';
import { idempotencyKeyDescription, idempotencyKeyOf } from './idempotency-key.js';
import { reversalBody, transferBody, transferIdParams, transferRecordSchema, transferResultSchema } from './schemas.js';

/** Transfers made through the API are recorded under this module; modules call the primitives with their own name. */
export const LEDGER_MODULE = 'ledger';

const MOVES_MONEY = { kind: 'staff', roles: ['finance'] } as const;
const READS = { kind: 'staff', roles: ['finance', 'admin'] } as const;

interface TransferBody {
  debitAccountId: string;
  creditAccountId: string;
  amount: number;
  currency: string;
  reason: string;
  tapId?: string | null;
  metadata?: Record<string, unknown> | null;
}

interface ReversalBody {
  amount?: number;
  reason: string;
  metadata?: Record<string, unknown> | null;
}

export interface TransferRouteDeps {
  readonly ctx: ServiceContext;
  /** The plain `transfer()` or the batching engine's; both keep the same contract. */
  readonly move: (input: TransferInput) => Promise<TransferOutcome>;
}

/** A replay answers exactly as the first time did; the header tells a curious client it was a replay. */
function answer(res: Response, outcome: TransferOutcome) {
  if (outcome.replayed) res.setHeader('idempotent-replayed', 'true');
  return outcome.result;
}

export function mountTransferRoutes(api: ApiRouter, { ctx, move }: TransferRouteDeps): void {
  api.route<Record<string, string>, Record<string, unknown>, TransferBody>({
    method: 'post',
    path: '/v1/ledger/transfers',
    operationId: 'createLedgerTransfer',
    summary: 'Move money from the debit account to the credit account',
    description: idempotencyKeyDescription,
    tags: ['ledger'],
    auth: MOVES_MONEY,
    body: transferBody,
    successStatus: 201,
    responses: { 201: { description: 'the transfer and both balances after it', schema: transferResultSchema } },
    handler: async ({ body, principal, req, res }) => {
      const idempotencyKey = idempotencyKeyOf(req);
      const outcome = await move({ ...body, idempotencyKey, module: LEDGER_MODULE, staffId: principal?.id ?? null });
      return answer(res, outcome);
    },
  });

  api.route<{ transferId: string }>({
    method: 'get',
    path: '/v1/ledger/transfers/{transferId}',
    operationId: 'getLedgerTransfer',
    summary: 'A transfer, with how much of it has been reversed',
    tags: ['ledger'],
    auth: READS,
    params: transferIdParams,
    responses: { 200: { description: 'the transfer', schema: transferRecordSchema } },
    handler: ({ params }) => getTransferRecord(ctx.db, params.transferId),
  });

  api.route<{ transferId: string }, Record<string, unknown>, ReversalBody>({
    method: 'post',
    path: '/v1/ledger/transfers/{transferId}/reversals',
    operationId: 'reverseLedgerTransfer',
    summary: 'Reverse (refund) all or part of a transfer with a new transfer referring to it',
    description: `${idempotencyKeyDescription} All reversals of one transfer together never exceed it; a reversal cannot itself be reversed.`,
    tags: ['ledger'],
    auth: MOVES_MONEY,
    params: transferIdParams,
    body: reversalBody,
    successStatus: 201,
    responses: { 201: { description: 'the reversing transfer and both balances after it', schema: transferResultSchema } },
    handler: async ({ params, body, principal, req, res }) => {
      const idempotencyKey = idempotencyKeyOf(req);
      const outcome = await reverseTransfer(
        ctx.db,
        { ...body, idempotencyKey, transferId: params.transferId, module: LEDGER_MODULE, staffId: principal?.id ?? null },
        { now: ctx.now },
      );
      return answer(res, outcome);
    },
  });
}
