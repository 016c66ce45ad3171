import { randomUUID } from 'node:crypto';
import type { Database } from '../../shared/db/index.js';
import { createThrowawayDatabase, type ThrowawayDatabase } from '../support/throwaway-database.js';
import { openAccount, TransferBatcher, type Account } from '../../shared/ledger/index.js';

export type BenchDatabase = ThrowawayDatabase;

/** A throwaway database next to the one DATABASE_URL names, migrated, dropped afterwards. */
export function createBenchDatabase(adminUrl: string): Promise<BenchDatabase> {
  return createThrowawayDatabase(adminUrl, { prefix: 'tessera_bench', poolMax: 4 });
}

export interface BenchAccounts {
  readonly hot: Account;
  readonly till: Account;
  readonly spread: string[];
}

/**
 * One hot purse, `spreadCount` purses for the spread phase, one till that every debit pays into
 * (so the till is a hot row too, as a busy canteen's is), all loaded through the ledger itself.
 */
export async function seedAccounts(db: Database, spreadCount: number): Promise<BenchAccounts> {
  const funding = await openAccount(db, { kind: 'funding', label: 'bench funding' });
  const hot = await openAccount(db, { kind: 'purse', label: 'hot purse' });
  const till = await openAccount(db, { kind: 'till_takings', label: 'bench till' });
  const spread = Array.from({ length: spreadCount }, () => randomUUID());
  for (let i = 0; i < spread.length; i += 1000) {
    await db.knex('ledger_accounts').insert(spread.slice(i, i + 1000).map((id) => ({ id, kind: 'purse', currency: 'GBP', floor: 0, balance: 0, label: 'spread purse' })));
  }
  const loader = new TransferBatcher(db, { maxBatchSize: 500 });
  const load = (accountId: string, amount: number) =>
    loader.transfer({ idempotencyKey: `bench-load-${accountId}`, debitAccountId: funding.id, creditAccountId: accountId, amount, currency: 'GBP', reason: 'bench load', module: 'bench' });
  await Promise.all([load(hot.id, 1_000_000_000), ...spread.map((id) => load(id, 1_000_000))]);
  await loader.close();
  await db.knex.raw('analyze');
  return { hot, till, spread };
}
