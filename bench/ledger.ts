/**
 * npm run bench:ledger — debits per second through the HTTP API on PostgreSQL (issue 7).
 *
 * Phases, each with 32 concurrent clients, a warm-up and a bounded measuring window:
 *   hot      every debit on one purse, through the platform (batching engine, the default)
 *   spread   debits on purses picked at random among 10,000
 *   floor    a bare conditional UPDATE ... WHERE balance >= amount on one hot row through pg
 *   plain    (reference) the hot phase again with the batching engine off
 * Each debit is a POST /v1/ledger/transfers with its own Idempotency-Key: a transfer row, two
 * entries and an idempotency row. The platform runs as a child process (ledger service only,
 * with the trusted test staff authenticator while staff sessions do not exist yet).
 * Afterwards the ledger is verified and every acknowledged debit is counted in the database.
 * DATABASE_URL (else postgres://postgres@127.0.0.1:5432/postgres) names the server; the
 * benchmark creates and drops its own database. BENCH_SECONDS sets each window (default 5).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { verifyLedger } from '../shared/ledger/index.js';
import { spawnPlatform } from '../services/ledger/testing/spawn-platform.js';
import { createBenchDatabase, seedAccounts } from './ledger/bench-database.js';
import { measureHotFloor } from './ledger/floor.js';
import { JsonClient } from './ledger/http-client.js';
import { cpuShare, describe, drive, figuresOf, type PhaseFigures } from './ledger/stats.js';
import { loadavg } from 'node:os';

const CLIENTS = 32;
const SPREAD_ACCOUNTS = 10_000;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const WARMUP_SECONDS = 1;
const adminUrl = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';

/** From the platform's /metrics: how many transfers each batch transaction carried and how long it took. */
async function batchSummary(baseUrl: string): Promise<string> {
  const text = await (await fetch(`${baseUrl}/metrics`)).text();
  const value = (name: string) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1] ?? Number.NaN);
  const batches = value('tessera_ledger_batch_size_count');
  return `${batches} batches, ${(value('tessera_ledger_batch_size_sum') / batches).toFixed(1)} transfers and ${((value('tessera_ledger_batch_seconds_sum') / batches) * 1000).toFixed(1)} ms each on average`;
}

const bench = await createBenchDatabase(adminUrl);
try {
  process.stdout.write(`ledger benchmark: ${CLIENTS} clients, ${SECONDS} s per phase, PostgreSQL ${bench.db.description}\n`);
  process.stdout.write(`machine: load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}; one process gets ${(cpuShare() * 100).toFixed(0)}% of a core\n`);
  const accounts = await seedAccounts(bench.db, SPREAD_ACCOUNTS);
  let acknowledged = 0;
  const kek = randomBytes(32).toString('base64');

  async function httpPhase(name: string, batching: boolean, debitAccount: () => string): Promise<PhaseFigures> {
    const platform = await spawnPlatform({ databaseUrl: bench.url, batching, kek });
    const client = new JsonClient(platform.url, 'finance-token', CLIENTS);
    try {
      const run = await drive(CLIENTS, SECONDS, WARMUP_SECONDS, async () => {
        const response = await client.post(
          '/v1/ledger/transfers',
          { debitAccountId: debitAccount(), creditAccountId: accounts.till.id, amount: 1, currency: 'GBP', reason: 'bench debit' },
          { 'idempotency-key': randomUUID() },
        );
        if (response.status === 201) acknowledged += 1;
        return response.status === 201;
      });
      if (batching) process.stdout.write(`${name}: ${await batchSummary(platform.url)}\n`);
      return figuresOf(name, run.latencies, run.errors, run.seconds);
    } finally {
      client.close();
      await platform.stop();
    }
  }

  const hot = await httpPhase('hot account, HTTP, batching', true, () => accounts.hot.id);
  process.stdout.write(`${describe(hot)}\n`);
  const spread = await httpPhase('10,000 accounts, HTTP, batching', true, () => accounts.spread[Math.floor(Math.random() * SPREAD_ACCOUNTS)]!);
  process.stdout.write(`${describe(spread)}\n`);
  const floorRun = await measureHotFloor(bench.url, CLIENTS, SECONDS, WARMUP_SECONDS);
  const floor = figuresOf('floor: bare UPDATE on one row, pg', floorRun.latencies, floorRun.errors, floorRun.seconds);
  process.stdout.write(`${describe(floor)}\n`);
  const plain = await httpPhase('hot account, HTTP, plain path', false, () => accounts.hot.id);
  process.stdout.write(`${describe(plain)}\n`);

  // Every 201 the clients saw is a transfer in the database (plus the seed loads), and the ledger is sound.
  const verification = await verifyLedger(bench.db);
  const [row] = (await bench.db.knex('ledger_transfers').where({ module: 'ledger' }).count({ n: '*' })) as { n: unknown }[];
  const stored = Number(row!.n);
  process.stdout.write(
    `ledger verify: ${verification.problems.length === 0 ? 'clean' : `${verification.problems.length} PROBLEMS`}; ` +
      `acknowledged ${acknowledged} debits, ${stored} recorded (warm-up included)\n`,
  );
  for (const problem of verification.problems.slice(0, 20)) process.stdout.write(`  [${problem.check}] ${problem.message}\n`);
  if (verification.problems.length > 0 || stored !== acknowledged) process.exitCode = 1;

  process.stdout.write(`machine after: load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}; one process gets ${(cpuShare() * 100).toFixed(0)}% of a core\n`);
  const ratio = hot.perSecond / floor.perSecond;
  process.stdout.write(`ratio hot (batching) / floor: ${ratio.toFixed(2)}x; plain path / floor: ${(plain.perSecond / floor.perSecond).toFixed(2)}x\n`);
  process.stdout.write(
    `RESULT ${JSON.stringify({
      hot_debits_per_s: Math.round(hot.perSecond),
      spread_debits_per_s: Math.round(spread.perSecond),
      hot_floor_per_s: Math.round(floor.perSecond),
      hot_ratio_vs_floor: Number(ratio.toFixed(2)),
    })}\n`,
  );
} finally {
  await bench.drop();
}
