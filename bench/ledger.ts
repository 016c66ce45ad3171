/**
 * npm run bench:ledger — debits per second through the HTTP API on PostgreSQL (issue 7).
 *
 * Phases, each with 32 concurrent clients, a warm-up and a bounded measuring window:
 *   hot      every debit on one purse, through the platform (batching engine, the default)
 *   spread   debits on purses picked at random among 10,000
 *   floor    a bare conditional UPDATE ... WHERE balance >= amount on one hot row through pg
 *   plain    (reference) the hot phase with the batching engine off
 *   engine   (reference) the batching engine in this process, no HTTP
 * Each HTTP debit is a POST /v1/ledger/transfers with its own Idempotency-Key: a transfer row,
 * two entries and an idempotency row. The platform runs as a child process (the ledger service
 * with the trusted test staff authenticator, so the figures are the ledger's, not the session
 * lookup's). Afterwards the ledger is verified and every acknowledged debit is counted.
 * DATABASE_URL (else postgres://postgres@127.0.0.1:5432/postgres) names the server; the
 * benchmark creates and drops its own database. BENCH_SECONDS sets each window (default 5);
 * BENCH_PLATFORMS runs that many platform processes behind the clients (default 1).
 */
import { randomBytes } from 'node:crypto';
import { verifyLedger } from '../shared/ledger/index.js';
import { createBenchDatabase, seedAccounts } from './ledger/bench-database.js';
import { enginePhase } from './ledger/engine-phase.js';
import { measureHotFloor } from './ledger/floor.js';
import { httpPhase } from './ledger/http-phase.js';
import { describeMachine, startStealMeter } from './support/machine.js';
import { cpuShare, describe, figuresOf } from './ledger/stats.js';

const CLIENTS = 32;
const SPREAD_ACCOUNTS = 10_000;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const PLATFORMS = Number(process.env.BENCH_PLATFORMS ?? 1);
const WARMUP_SECONDS = 1;
const adminUrl = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
const machine = () => `${describeMachine()}; one process gets ${(cpuShare() * 100).toFixed(0)}% of a core`;

const bench = await createBenchDatabase(adminUrl);
try {
  process.stdout.write(`ledger benchmark: ${CLIENTS} clients, ${PLATFORMS} platform process(es), ${SECONDS} s per phase, ${bench.db.description}\n`);
  process.stdout.write(`machine: ${machine()}\n`);
  const steal = startStealMeter();
  const accounts = await seedAccounts(bench.db, SPREAD_ACCOUNTS);
  let acknowledged = 0;
  const common = {
    databaseUrl: bench.url,
    kek: randomBytes(32).toString('base64'),
    platforms: PLATFORMS,
    clients: CLIENTS,
    seconds: SECONDS,
    warmupSeconds: WARMUP_SECONDS,
    creditAccount: accounts.till.id,
    onAcknowledged: () => (acknowledged += 1),
  };
  const report = ({ figures, batches }: Awaited<ReturnType<typeof httpPhase>>) => {
    for (const line of batches) process.stdout.write(`  ${figures.name}: ${line}\n`);
    process.stdout.write(`${describe(figures)}\n`);
    return figures;
  };

  const hot = report(await httpPhase({ ...common, name: 'hot account, HTTP, batching', batching: true, debitAccount: () => accounts.hot.id }));
  const randomPurse = () => accounts.spread[Math.floor(Math.random() * SPREAD_ACCOUNTS)]!;
  const spread = report(await httpPhase({ ...common, name: '10,000 accounts, HTTP, batching', batching: true, debitAccount: randomPurse }));
  const floorRun = await measureHotFloor(bench.url, CLIENTS, SECONDS, WARMUP_SECONDS);
  const floor = figuresOf('floor: bare UPDATE on one row, pg', floorRun.latencies, floorRun.errors, floorRun.seconds);
  process.stdout.write(`${describe(floor)}\n`);
  const plain = report(await httpPhase({ ...common, name: 'hot account, HTTP, plain path', batching: false, debitAccount: () => accounts.hot.id }));
  const engine = await enginePhase(bench.db, { clients: CLIENTS, seconds: SECONDS, warmupSeconds: WARMUP_SECONDS, debitAccount: accounts.hot.id, creditAccount: accounts.till.id });
  process.stdout.write(`${describe(engine)}\n`);

  // Every 201 the clients saw is a transfer in the database, and the ledger is sound.
  const verification = await verifyLedger(bench.db);
  const [row] = (await bench.db.knex('ledger_transfers').where({ module: 'ledger' }).count({ n: '*' })) as { n: unknown }[];
  const stored = Number(row!.n);
  process.stdout.write(
    `ledger verify: ${verification.problems.length === 0 ? 'clean' : `${verification.problems.length} PROBLEMS`}; ` +
      `acknowledged ${acknowledged} HTTP debits, ${stored} recorded (warm-up included)\n`,
  );
  for (const problem of verification.problems.slice(0, 20)) process.stdout.write(`  [${problem.check}] ${problem.message}\n`);
  if (verification.problems.length > 0 || stored !== acknowledged) process.exitCode = 1;

  process.stdout.write(`machine after: ${machine()}; ${steal()}\n`);
  const ratio = hot.perSecond / floor.perSecond;
  process.stdout.write(
    `ratio vs floor: hot HTTP batching ${ratio.toFixed(2)}x, hot HTTP plain ${(plain.perSecond / floor.perSecond).toFixed(2)}x, engine alone ${(engine.perSecond / floor.perSecond).toFixed(2)}x\n`,
  );
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
