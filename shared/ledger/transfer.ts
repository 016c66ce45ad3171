import type { Knex } from 'knex';
import { applyTransfers } from './apply-transfers.js';
import { withContentionRetry } from './contention.js';
import type { ApplyOutcome } from './outcomes.js';
import { prepareTransfer, type PreparedTransfer } from './prepare-transfer.js';
import { knexOf, type LedgerDb } from './rows.js';
import type { TransferInput, TransferOutcome } from './types.js';

export interface TransferOptions {
  /** The time recorded on the transfer; defaults to the system clock. */
  readonly now?: () => Date;
}

/**
 * Moves money from one account to another: the plain path, one statement per request (or a
 * savepoint in the caller's transaction, so catering can record its sale in the same commit).
 * The same idempotency key with the same body returns the first result and writes nothing;
 * with another body it throws ERR_IDEMPOTENCY_MISMATCH. Refusals throw their TesseraError.
 */
export async function transfer(db: LedgerDb, input: TransferInput, options: TransferOptions = {}): Promise<TransferOutcome> {
  const prepared = prepareTransfer(input, (options.now ?? (() => new Date()))());
  return transferPrepared(knexOf(db), prepared);
}

export async function transferPrepared(knex: Knex, prepared: PreparedTransfer): Promise<TransferOutcome> {
  // Alone, the one statement is its own transaction; inside the caller's, a savepoint keeps a
  // failed attempt (a key race, a deadlock) from aborting the caller's work.
  const attempt = () => (knex.isTransaction ? knex.transaction((trx) => applyTransfers(trx, [prepared])) : applyTransfers(knex, [prepared]));
  const [outcome] = await withContentionRetry(attempt);
  return settle(outcome!);
}

export function settle(outcome: ApplyOutcome): TransferOutcome {
  if (outcome.kind === 'refused') throw outcome.error;
  return { result: outcome.result, replayed: outcome.kind === 'replayed' };
}
