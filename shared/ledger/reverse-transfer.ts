import { TesseraError } from '../errors/index.js';
import { safeInteger } from './amount.js';
import { isUuid } from './prepare-transfer.js';
import { knexOf, transferColumns, transferFromRow, type LedgerDb, type TransferRow } from './rows.js';
import { transfer, type TransferOptions } from './transfer.js';
import type { Transfer, TransferOutcome } from './types.js';

export interface ReverseTransferInput {
  readonly idempotencyKey: string;
  readonly transferId: string;
  /** Defaults to the original amount (a full reversal); less is a partial refund. */
  readonly amount?: number;
  readonly reason: string;
  readonly module: string;
  readonly tapId?: string | null;
  readonly staffId?: string | null;
  readonly metadata?: Readonly<Record<string, unknown>> | null;
}

/**
 * A refund or correction: a new transfer in the opposite direction that refers to the original.
 * All reversals of one transfer together never exceed it (checked under a lock on the original).
 * The default amount is the original's, never "what is left", so a retried request hashes the same.
 */
export async function reverseTransfer(db: LedgerDb, input: ReverseTransferInput, options: TransferOptions = {}): Promise<TransferOutcome> {
  const original = await getTransferRecord(db, input.transferId);
  return transfer(
    db,
    {
      idempotencyKey: input.idempotencyKey,
      debitAccountId: original.creditAccountId,
      creditAccountId: original.debitAccountId,
      amount: input.amount ?? original.amount,
      currency: original.currency,
      reason: input.reason,
      module: input.module,
      tapId: input.tapId ?? null,
      staffId: input.staffId ?? null,
      reversesTransferId: original.id,
      metadata: input.metadata ?? null,
    },
    options,
  );
}

export interface TransferRecord extends Transfer {
  /** The sum of all reversals recorded against this transfer so far. */
  readonly reversedAmount: number;
}

export async function getTransferRecord(db: LedgerDb, transferId: string): Promise<TransferRecord> {
  const row = isUuid(transferId)
    ? ((await knexOf(db).raw(
        `select ${transferColumns},
                (select coalesce(sum(r.amount), 0) from ledger_transfers r where r.reverses_transfer_id = t.id) as reversed_amount
           from ledger_transfers t where t.id = ?`,
        [transferId.toLowerCase()],
      )).rows[0] as (TransferRow & { reversed_amount: unknown }) | undefined)
    : undefined;
  if (!row) throw new TesseraError('ERR_TRANSFER_NOT_FOUND', `No transfer ${transferId}`, { transferId });
  return { ...transferFromRow(row), reversedAmount: safeInteger(row.reversed_amount, 'reversed amount') };
}
