import type { Knex } from 'knex';
import { TesseraError } from '../errors/index.js';
import { applyTransfers } from './apply-transfers.js';
import { withContentionRetry } from './contention.js';
import { prepareTransfer, type PreparedTransfer } from './prepare-transfer.js';
import { knexOf, type LedgerDb } from './rows.js';
import { settle, transferPrepared } from './transfer.js';
import type { TransferInput, TransferOutcome } from './types.js';

export interface TransferBatcherOptions {
  /** Most transfers one transaction applies; the rest wait for the next. */
  readonly maxBatchSize?: number;
  readonly now?: () => Date;
  /** Called after each committed batch with its size (metrics). */
  readonly onBatch?: (size: number) => void;
}

interface Waiting {
  readonly prepared: PreparedTransfer;
  readonly resolve: (outcome: TransferOutcome) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Group commit for money movements. While one transaction is in flight, the transfers that
 * arrive queue up; the next transaction applies all of them (up to maxBatchSize) at once.
 * On a hot account this turns N row-lock-and-commit cycles into one, the way TigerBeetle
 * batches transfers. Nothing is weakened (docs/ledger.md, "Batching"):
 * - each transfer still gets its own transfer row, entries and idempotency row;
 * - the batch is decided in arrival order against rows locked FOR NO KEY UPDATE, so a transfer
 *   that would cross a floor is refused alone while the others commit;
 * - the CHECK on the account and the row locks still guard against every other process;
 * - each caller gets its result only after the commit; an unexpected failure of the batch is
 *   retried with each transfer alone, so no caller inherits another's error.
 * An idle batcher starts a transaction at once: batching only happens under load.
 */
export class TransferBatcher {
  readonly #knex: Knex;
  readonly #maxBatchSize: number;
  readonly #now: () => Date;
  readonly #onBatch: ((size: number) => void) | undefined;
  #queue: Waiting[] = [];
  #inFlight: Promise<void> | undefined;
  #closed = false;

  constructor(db: LedgerDb, options: TransferBatcherOptions = {}) {
    this.#knex = knexOf(db);
    this.#maxBatchSize = options.maxBatchSize ?? 256;
    this.#now = options.now ?? (() => new Date());
    this.#onBatch = options.onBatch;
  }

  /** Same contract as `transfer()`; reversals take the plain path (rare, and they lock their original). */
  transfer(input: TransferInput): Promise<TransferOutcome> {
    if (this.#closed) return Promise.reject(new TesseraError('ERR_SHUTTING_DOWN', 'The ledger is shutting down'));
    let prepared: PreparedTransfer;
    try {
      prepared = prepareTransfer(input, this.#now());
    } catch (error) {
      return Promise.reject(error);
    }
    if (prepared.request.reversesTransferId !== null) return transferPrepared(this.#knex, prepared);
    return new Promise((resolve, reject) => {
      this.#queue.push({ prepared, resolve, reject });
      this.#pump();
    });
  }

  /** Refuses new transfers and waits until every queued one has its answer. */
  async close(): Promise<void> {
    this.#closed = true;
    while (this.#inFlight) await this.#inFlight;
  }

  #pump(): void {
    if (this.#inFlight || this.#queue.length === 0) return;
    const batch = this.#queue.splice(0, this.#maxBatchSize);
    this.#inFlight = this.#run(batch).finally(() => {
      this.#inFlight = undefined;
      this.#pump();
    });
  }

  async #run(batch: Waiting[]): Promise<void> {
    let outcomes;
    try {
      outcomes = await withContentionRetry(() => this.#knex.transaction((trx) => applyTransfers(trx, batch.map((w) => w.prepared))));
    } catch {
      // Whatever failed the batch must fail only the transfer that caused it.
      await Promise.all(batch.map((w) => transferPrepared(this.#knex, w.prepared).then(w.resolve, w.reject)));
      return;
    }
    this.#onBatch?.(batch.length);
    batch.forEach((waiting, i) => {
      try {
        waiting.resolve(settle(outcomes[i]!));
      } catch (refusal) {
        waiting.reject(refusal);
      }
    });
  }
}
