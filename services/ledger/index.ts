import { Histogram } from 'prom-client';
import { TransferBatcher, transfer, type TransferInput, type TransferOutcome } from '../../shared/ledger/index.js';
import type { PlatformService } from '../../shared/service/index.js';
import { mountAccountRoutes } from './routes/account-routes.js';
import { mountTransferRoutes } from './routes/transfer-routes.js';

export interface LedgerServiceOptions {
  /**
   * Group concurrent transfers into one transaction (shared/ledger/transfer-batcher.ts).
   * On by default; the plain path (one statement per request) keeps the same guarantees.
   */
  readonly batching?: boolean;
  readonly maxBatchSize?: number;
}

/** The ledger's HTTP API under /v1/ledger (docs/ledger.md). Modules use shared/ledger directly. */
export function ledgerService(options: LedgerServiceOptions = {}): PlatformService {
  let batcher: TransferBatcher | undefined;
  return {
    name: 'ledger',
    routers(ctx) {
      let move: (input: TransferInput) => Promise<TransferOutcome>;
      if (options.batching ?? true) {
        const batchSize = new Histogram({
          name: 'tessera_ledger_batch_size',
          help: 'transfers applied per ledger transaction by the batching engine',
          buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256],
          registers: [ctx.metrics],
        });
        const batchSeconds = new Histogram({
          name: 'tessera_ledger_batch_seconds',
          help: 'duration of one ledger batch transaction, from BEGIN to COMMIT',
          buckets: [0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1],
          registers: [ctx.metrics],
        });
        const engine = new TransferBatcher(ctx.db, {
          now: ctx.now,
          onBatch: (size, seconds) => {
            batchSize.observe(size);
            batchSeconds.observe(seconds);
          },
          ...(options.maxBatchSize ? { maxBatchSize: options.maxBatchSize } : {}),
        });
        batcher = engine;
        move = (input) => engine.transfer(input);
      } else {
        move = (input) => transfer(ctx.db, input, { now: ctx.now });
      }
      const router = ctx.createRouter();
      mountAccountRoutes(router, ctx);
      mountTransferRoutes(router, { ctx, move });
      return [router];
    },
    async close() {
      await batcher?.close();
    },
  };
}
