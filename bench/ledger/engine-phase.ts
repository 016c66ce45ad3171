import { randomUUID } from 'node:crypto';
import type { Database } from '../../shared/db/index.js';
import { TransferBatcher } from '../../shared/ledger/index.js';
import { drive, figuresOf, type PhaseFigures } from './stats.js';

/**
 * The batching engine on its own, in this process, without HTTP: what the database side can do
 * on the hot account when no web stack stands in front of it. For comparison only.
 */
export async function enginePhase(db: Database, options: { clients: number; seconds: number; warmupSeconds: number; debitAccount: string; creditAccount: string }): Promise<PhaseFigures> {
  const batcher = new TransferBatcher(db);
  try {
    const run = await drive(options.clients, options.seconds, options.warmupSeconds, async () => {
      await batcher.transfer({
        idempotencyKey: randomUUID(),
        debitAccountId: options.debitAccount,
        creditAccountId: options.creditAccount,
        amount: 1,
        currency: 'GBP',
        reason: 'bench debit',
        module: 'bench-engine',
      });
      return true;
    });
    return figuresOf('hot account, engine alone (no HTTP)', run.latencies, run.errors, run.seconds);
  } finally {
    await batcher.close();
  }
}
