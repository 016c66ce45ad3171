import type { Knex } from 'knex';

/**
 * Runs independent reads at once on a pool, one after another inside a transaction: a
 * transaction is one connection, and pg refuses (from v9) a query while another is running on it.
 */
export async function readTogether<T extends readonly unknown[]>(q: Knex, reads: { [K in keyof T]: () => Promise<T[K]> }): Promise<T> {
  if (!(q as Knex.Transaction).isTransaction) return Promise.all(reads.map((read) => read())) as unknown as Promise<T>;
  const results: unknown[] = [];
  for (const read of reads) results.push(await read());
  return results as unknown as T;
}
