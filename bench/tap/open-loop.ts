import type { SoftwareCard } from '../../services/auth/testing/software-card.js';
import { oneTap, ReaderConnection } from './load.js';

export interface OpenLoopResult {
  /** Milliseconds from each tap's scheduled start to its answer. */
  readonly latencies: number[];
  readonly errors: number;
  /** Taps answered per second over the window. */
  readonly achievedPerSecond: number;
}

/**
 * Latency at a given load, as a door sees it: the readers together start `ratePerSecond` taps a
 * second on a fixed schedule (each reader every readers/rate seconds, the readers evenly out of
 * phase), whatever the answers do. A tap's latency runs from its scheduled start, so when the
 * platform falls behind the wait counts against it (no coordinated omission, as in wrk2).
 * A closed loop of readers tapping back to back measures throughput, but its latency is only the
 * queue they build themselves (readers / throughput, Little's law), which is why both are run.
 */
export async function driveTapsAtRate(
  baseUrls: readonly string[],
  readers: readonly { credential: string }[],
  cards: readonly SoftwareCard[],
  ratePerSecond: number,
  seconds: number,
  warmupSeconds: number,
): Promise<OpenLoopResult> {
  const certificates = cards.map((card) => Buffer.from(card.certificates['9E']).toString('base64'));
  const intervalMs = (readers.length * 1000) / ratePerSecond;
  const origin = performance.now() + 50;
  const windowStarts = origin + warmupSeconds * 1000;
  const ends = windowStarts + seconds * 1000;
  const latencies: number[] = [];
  let errors = 0;
  let answered = 0;
  await Promise.all(
    readers.map(async (reader, i) => {
      const connection = new ReaderConnection(baseUrls[i % baseUrls.length]!, reader.credential);
      try {
        for (let k = 0; ; k++) {
          const scheduled = origin + (i / readers.length) * intervalMs + k * intervalMs;
          if (scheduled >= ends) break;
          const wait = scheduled - performance.now();
          if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
          const pick = Math.floor(Math.random() * cards.length);
          const ok = await oneTap(connection, cards[pick]!, certificates[pick]!).catch(() => false);
          if (scheduled < windowStarts) continue;
          answered++;
          if (ok) latencies.push(performance.now() - scheduled);
          else errors++;
        }
      } finally {
        await connection.close();
      }
    }),
  );
  const windowSeconds = (Math.max(performance.now(), ends) - windowStarts) / 1000;
  return { latencies, errors, achievedPerSecond: answered / windowSeconds };
}
