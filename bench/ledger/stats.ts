/** Latency samples of one phase, in milliseconds. */
export interface PhaseFigures {
  readonly name: string;
  readonly count: number;
  readonly errors: number;
  readonly seconds: number;
  readonly perSecond: number;
  readonly medianMs: number;
  readonly p99Ms: number;
}

export function figuresOf(name: string, latencies: number[], errors: number, seconds: number): PhaseFigures {
  const sorted = [...latencies].sort((a, b) => a - b);
  const at = (q: number) => (sorted.length === 0 ? Number.NaN : sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!);
  return { name, count: sorted.length, errors, seconds, perSecond: sorted.length / seconds, medianMs: at(0.5), p99Ms: at(0.99) };
}

export function describe(f: PhaseFigures): string {
  return `${f.name.padEnd(34)} ${f.perSecond.toFixed(0).padStart(7)}/s  median ${f.medianMs.toFixed(2).padStart(7)} ms  p99 ${f.p99Ms.toFixed(2).padStart(7)} ms  (${f.count} ok, ${f.errors} errors in ${f.seconds.toFixed(1)} s)`;
}

/** Runs `clients` loops until `seconds` have passed, timing each call; a warm-up first is not counted. */
export async function drive(
  clients: number,
  seconds: number,
  warmupSeconds: number,
  call: (client: number) => Promise<boolean>,
): Promise<{ latencies: number[]; errors: number; seconds: number }> {
  const latencies: number[] = [];
  let errors = 0;
  const warmupEnds = performance.now() + warmupSeconds * 1000;
  const ends = warmupEnds + seconds * 1000;
  let measuredFrom = Number.NaN;
  let measuredTo = Number.NaN;
  await Promise.all(
    Array.from({ length: clients }, async (_, client) => {
      for (;;) {
        const started = performance.now();
        if (started >= ends) break;
        const ok = await call(client).catch(() => false);
        const finished = performance.now();
        if (started < warmupEnds) continue;
        if (Number.isNaN(measuredFrom) || started < measuredFrom) measuredFrom = started;
        if (Number.isNaN(measuredTo) || finished > measuredTo) measuredTo = finished;
        if (ok) latencies.push(finished - started);
        else errors += 1;
      }
    }),
  );
  return { latencies, errors, seconds: (measuredTo - measuredFrom) / 1000 };
}

/**
 * How much of one core this process actually gets right now (spin for `ms`, compare CPU time
 * with wall time): on a machine shared with other work the figures below mean little without it.
 */
export function cpuShare(ms = 500): number {
  const started = performance.now();
  const before = process.cpuUsage();
  let sink = 0;
  while (performance.now() - started < ms) for (let i = 0; i < 10_000; i++) sink += i;
  const used = process.cpuUsage(before);
  return sink >= 0 ? (used.user + used.system) / 1000 / (performance.now() - started) : 0;
}
