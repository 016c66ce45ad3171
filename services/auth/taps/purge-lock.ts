import type { Knex } from 'knex';
import type { Database } from '../../../shared/db/index.js';

/** pg advisory lock key of the tap purge: 'tessera:tap-purge' as a number no other lock uses. */
export const TAP_PURGE_LOCK = 74_201_122;

/** Purges under way in this process, by database handle: a second scheduler on the same handle skips. */
const busy = new WeakSet<Knex>();

/**
 * Runs `work` unless another purge holds the lock, in which case it answers `{ ran: false }` at
 * once (a skipped purge waits for no one). Across processes on PostgreSQL that is a session
 * advisory lock, held on one pooled connection while the purge uses others, as migrations do;
 * pg_try_advisory_lock never waits. PGlite is one process, and every connection there is one
 * session (where advisory locks do not exclude), so there the in-process guard is the lock.
 */
export async function withPurgeLock<T>(db: Database, work: () => Promise<T>): Promise<{ ran: true; value: T } | { ran: false }> {
  if (busy.has(db.knex)) return { ran: false };
  busy.add(db.knex);
  try {
    if (db.kind !== 'postgres') return { ran: true, value: await work() };
    const connection = (await db.knex.client.acquireConnection()) as PgConnection;
    try {
      const { rows } = await connection.query('select pg_try_advisory_lock($1) as locked', [TAP_PURGE_LOCK]);
      if (!rows[0]?.locked) return { ran: false };
      try {
        return { ran: true, value: await work() };
      } finally {
        await connection.query('select pg_advisory_unlock($1)', [TAP_PURGE_LOCK]);
      }
    } finally {
      await db.knex.client.releaseConnection(connection);
    }
  } finally {
    busy.delete(db.knex);
  }
}

interface PgConnection {
  query(sql: string, bindings: unknown[]): Promise<{ rows: { locked?: boolean }[] }>;
}
