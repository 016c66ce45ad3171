/**
 * npm run bench:tap — verified taps per second over HTTP, and what one verification costs (issue 5).
 *
 * 1. A throwaway PostgreSQL database (DATABASE_URL, else postgres://postgres@127.0.0.1:5432/postgres)
 *    with 100,000 cardholders and their cards, 1,000,000 earlier taps, 64 readers, and a pool of
 *    cards with software keys and real certificates from the platform CA.
 * 2. The platform as a child process (`tessera start --only auth`), and 64 concurrent simulated
 *    readers in this process: each tap is POST /v1/taps (challenge) then POST /v1/taps/{id}/response
 *    (certificate + ECDSA signature over the canonical bytes), purpose identity.verify; the
 *    latency is the whole tap. Software keys sign, so no card's speed is measured.
 *    Throughput: the readers tap back to back (a closed loop) and taps/s is what the platform
 *    answers. Latency: the readers together offer BENCH_TAP_RATE taps/s (default 1,000, the
 *    target) on a fixed schedule and each tap is timed from its scheduled start (an open loop; see
 *    open-loop.ts). The closed loop's latency is printed too, but it is only the readers' own
 *    queue: 64 readers / throughput.
 * 3. In this process: the bare node:crypto verify rate (the ceiling), the platform's in-process
 *    verification path, and @simplewebauthn/server's verifyAuthenticationResponse on an
 *    equivalent ES256 assertion.
 * Every card is tapped once before the window, so the figures are those of a running platform
 * (certificates parsed and paths built once per card per process), not of its first minute.
 * BENCH_SECONDS sets the measuring window (default 10); BENCH_CARDS the card pool (default 1000);
 * BENCH_CARDHOLDERS and BENCH_EARLIER_TAPS shrink the seed for quick looks (the figures are for the defaults).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { driveTaps, percentile } from './tap/load.js';
import { driveTapsAtRate } from './tap/open-loop.js';
import { describeMachine, startStealMeter } from './support/machine.js';
import { startReplica, type RunningReplica } from './tap/platform.js';
import { createTapBenchDatabase, seedCardholders, seedEarlierTaps, seedReaders, seedSoftwareCards } from './tap/seed.js';
import { measureVerifyPaths } from './tap/verify-compare.js';

const READERS = 64;
const CARDHOLDERS = Number(process.env.BENCH_CARDHOLDERS ?? 100_000);
const EARLIER_TAPS = Number(process.env.BENCH_EARLIER_TAPS ?? 1_000_000);
const CARDS = Number(process.env.BENCH_CARDS ?? 1000);
const REPLICAS = Number(process.env.BENCH_REPLICAS ?? 1);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const RATE = Number(process.env.BENCH_TAP_RATE ?? 1000);
const WARMUP_SECONDS = 3;
const adminUrl = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
const out = (line: string) => process.stdout.write(`${line}\n`);
const elapsed = (since: number) => `${((performance.now() - since) / 1000).toFixed(1)} s`;
/** CPU seconds of every local `postgres` process (Linux /proc; NaN elsewhere): what the database spends. */
function postgresCpuSeconds(): number {
  try {
    let ticks = 0;
    for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
      try {
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
        if (!stat.includes('(postgres)')) continue;
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        ticks += Number(fields[11]) + Number(fields[12]);
      } catch {
        // the process ended meanwhile
      }
    }
    return ticks / 100;
  } catch {
    return Number.NaN;
  }
}


const bench = await createTapBenchDatabase(adminUrl);
const countRows = async (table: string) => Number(((await bench.db.knex(table).count({ n: '*' })) as { n: string }[])[0]!.n);
const replicas: RunningReplica[] = [];
try {
  out(`tap benchmark: ${READERS} readers, ${SECONDS} s window after ${WARMUP_SECONDS} s warm-up, PostgreSQL ${bench.db.description}`);
  out(`machine: ${describeMachine()}`);
  const steal = startStealMeter();
  let t = performance.now();
  await seedCardholders(bench.db, CARDHOLDERS);
  const readers = await seedReaders(bench.db, READERS);
  await seedEarlierTaps(bench.db, EARLIER_TAPS, readers.map((r) => r.id));
  const cards = await seedSoftwareCards(bench.db, bench.pki, CARDS);
  // A platform in service runs on a settled database, not one just bulk-loaded: vacuum sets the
  // visibility map and hint bits of the million seeded rows, and a checkpoint writes them out, so
  // neither lands in the measuring window (the seed's WAL would otherwise start a checkpoint that
  // spreads its writes over the next minute).
  await bench.db.knex.raw('vacuum analyze');
  await bench.db.knex.raw('checkpoint');
  const tapRows = await countRows('taps');
  const holderRows = await countRows('cardholders');
  out(`seeded ${holderRows} cardholders, ${tapRows} earlier taps, ${READERS} readers, ${CARDS} cards with software keys in ${elapsed(t)}`);

  const platformEnv = {
    DATABASE_URL: bench.url,
    TESSERA_KEK: bench.kek.toString('base64'),
    TESSERA_DB_POOL_MAX: '16',
    // 64 readers each tapping as fast as they can are far busier than any real reader, and a
    // pool of 1,000 cards taps each about once a second: lift both rate limits for the run.
    TESSERA_READER_RATE_PER_SECOND: '100000',
    TESSERA_CARD_TAPS_PER_MINUTE: '100000',
    // The daily tap purge catches up a minute after start; it must not run inside the measurement.
    TESSERA_TAP_PURGE_AT: 'off',
  };
  for (let i = 0; i < REPLICAS; i++) replicas.push(await startReplica(platformEnv));
  out(`platform: ${REPLICAS} process${REPLICAS > 1 ? 'es' : ''} of \`tessera start --only auth\`, readers spread over them`);
  const platformCpuSeconds = async () => (await Promise.all(replicas.map((r) => r.cpuSeconds()))).reduce((a, b) => a + b, 0);
  const urls = replicas.map((r) => r.url);

  t = performance.now();
  out('tapping every card once, then measuring');
  // The platform's own CPU time per tap says what it would do with a core to itself.
  const cpuBefore = await platformCpuSeconds();
  let postgresAtStart = Number.NaN;
  const run = await driveTaps(urls, readers, cards, SECONDS, WARMUP_SECONDS, async () => {
    postgresAtStart = Number.isNaN(postgresAtStart) ? postgresCpuSeconds() : postgresAtStart;
    return platformCpuSeconds();
  });
  const postgresPerTapMs = ((postgresCpuSeconds() - postgresAtStart) * 1000) / run.latencies.length;
  const cpuPerTapMs = ((run.cpuAfterWarmup.end - run.cpuAfterWarmup.start) * 1000) / run.latencies.length;
  const sorted = [...run.latencies].sort((a, b) => a - b);
  const tapsPerSecond = sorted.length / run.seconds;
  out(`closed loop, readers back to back: ${tapsPerSecond.toFixed(0)}/s granted  p50 ${percentile(sorted, 0.5).toFixed(2)} ms  p99 ${percentile(sorted, 0.99).toFixed(2)} ms (the readers' own queue)  (${sorted.length} granted, ${run.errors} not, in ${run.seconds.toFixed(1)} s)`);
  const after = await countRows('taps');
  out(`taps table now ${after} rows; targets: >= 1,000 taps/s, p99 <= 50 ms`);
  out(`platform CPU per tap ${cpuPerTapMs.toFixed(3)} ms (a core to each process: about ${(1000 / cpuPerTapMs).toFixed(0)} taps/s per process); ${(run.cpuAfterWarmup.end - cpuBefore).toFixed(1)} s of CPU in all`);
  out(`load generator CPU per tap ${(run.loadGeneratorCpuMs / run.latencies.length).toFixed(3)} ms (HTTP client and the software card's ECDSA signature)`);
  // Postgres processes that end during the window take their CPU time with them: then say nothing.
  out(`PostgreSQL CPU per tap ${postgresPerTapMs >= 0 ? `${postgresPerTapMs.toFixed(3)} ms` : 'n/a (postgres processes ended during the window)'} (every local postgres process, other work on this machine included)`);


  const paced = await driveTapsAtRate(urls, readers, cards, RATE, SECONDS, WARMUP_SECONDS);
  const pacedSorted = [...paced.latencies].sort((a, b) => a - b);
  const p50 = percentile(pacedSorted, 0.5);
  const p99 = percentile(pacedSorted, 0.99);
  out(`open loop at ${RATE} taps/s offered: ${paced.achievedPerSecond.toFixed(0)}/s answered  p50 ${p50.toFixed(2)} ms  p99 ${p99.toFixed(2)} ms  (${pacedSorted.length} granted, ${paced.errors} not)`);
  for (const replica of replicas.splice(0)) await replica.stop();

  const verify = await measureVerifyPaths(bench.db, bench.pki, cards[0]!, 2);
  const ratio = verify.platformPath / verify.simpleWebAuthn;
  out(`node:crypto verify (ceiling)        ${verify.ceiling.toFixed(0).padStart(7)}/s`);
  out(`platform verification path          ${verify.platformPath.toFixed(0).padStart(7)}/s  (${((verify.platformPath / verify.ceiling) * 100).toFixed(0)}% of the ceiling)`);
  out(`@simplewebauthn/server verify       ${verify.simpleWebAuthn.toFixed(0).padStart(7)}/s  (platform path ${ratio.toFixed(2)}x; target >= 3x)`);
  out(`machine after: ${describeMachine()}; ${steal()}`);
  if (run.errors > 0 || paced.errors > 0) process.exitCode = 1;
  out(
    `RESULT ${JSON.stringify({
      taps_per_s: Math.round(tapsPerSecond),
      p50_ms: Number(p50.toFixed(2)),
      p99_ms: Number(p99.toFixed(2)),
      ceiling_verifies_per_s: Math.round(verify.ceiling),
      verify_path_vs_simplewebauthn: Number(ratio.toFixed(2)),
    })}`,
  );
} finally {
  for (const replica of replicas) await replica.stop().catch(() => undefined);
  await bench.drop();
}
