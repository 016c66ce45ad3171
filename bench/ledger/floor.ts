import pg from 'pg';
import { drive } from './stats.js';

/**
 * The floor a per-request transaction meets on one hot row: a bare conditional UPDATE in
 * autocommit, `clients` connections at once. Each commit holds the row lock until its WAL is
 * flushed, so the next one waits for it.
 */
export async function measureHotFloor(url: string, clients: number, seconds: number, warmupSeconds: number) {
  const pool = new pg.Pool({ connectionString: url, max: clients });
  try {
    await pool.query('create table bench_floor_probe (id integer primary key, balance bigint not null check (balance >= 0))');
    await pool.query('insert into bench_floor_probe values (1, 1000000000000)');
    return await drive(clients, seconds, warmupSeconds, async () => {
      const { rowCount } = await pool.query('update bench_floor_probe set balance = balance - $1 where id = 1 and balance >= $1', [1]);
      return rowCount === 1;
    });
  } finally {
    await pool.end();
  }
}
