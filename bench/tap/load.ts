import { encodeTapForSigning } from '../../shared/taps/index.js';
import type { SoftwareCard } from '../../services/auth/testing/software-card.js';
import { KeepAliveConnection } from '../support/keep-alive-connection.js';

/** One reader's keep-alive connection to the platform, carrying its credential. */
export class ReaderConnection {
  readonly #connection: Promise<KeepAliveConnection>;
  readonly #headers: string;

  constructor(baseUrl: string, credential: string) {
    this.#connection = KeepAliveConnection.open(baseUrl);
    // A connection that fails before its first request is reported by that request.
    this.#connection.catch(() => undefined);
    this.#headers = `authorization: Bearer ${credential}\r\ncontent-type: application/json\r\n`;
  }

  async post(path: string, body: unknown): Promise<{ status: number; body: any }> {
    const answer = await (await this.#connection).request('POST', path, this.#headers, JSON.stringify(body));
    return { status: answer.status, body: JSON.parse(answer.body || '{}') };
  }

  async close(): Promise<void> {
    await (await this.#connection.catch(() => undefined))?.close();
  }
}

/** One tap as a reader makes it: challenge, card signature over the canonical bytes, answer. True when granted. */
export async function oneTap(connection: ReaderConnection, card: SoftwareCard, certificateBase64: string): Promise<boolean> {
  const challenge = await connection.post('/v1/taps', { purpose: 'identity.verify' });
  if (challenge.status !== 201) return false;
  const c = challenge.body as { id: string; challenge: string; readerId: string; purpose: string; target: string };
  const tbs = encodeTapForSigning({ challenge: Buffer.from(c.challenge, 'base64'), readerId: c.readerId, purpose: c.purpose, target: c.target, payload: new Uint8Array(0) });
  const signature = card.sign('9E', tbs).toString('base64');
  const answer = await connection.post(`/v1/taps/${c.id}/response`, { certificate: certificateBase64, signature });
  return answer.status === 200 && answer.body.decision === 'granted';
}

export interface LoadResult {
  readonly latencies: number[];
  readonly errors: number;
  readonly seconds: number;
  /** The platform's CPU seconds when the measuring window opened and closed. */
  readonly cpuAfterWarmup: { readonly start: number; readonly end: number };
  /** This process's (the load generator's) CPU milliseconds in the window. */
  readonly loadGeneratorCpuMs: number;
}

/**
 * Taps every card once on every process first, so the platform has seen each certificate (parsed, path built,
 * status cached) as a platform that has been running has; then `readers` loops tapping random
 * cards for `seconds` after a short warm-up, timing each whole tap.
 */
export async function driveTaps(
  baseUrls: readonly string[],
  readers: readonly { credential: string }[],
  cards: readonly SoftwareCard[],
  seconds: number,
  warmupSeconds: number,
  cpuSeconds: () => Promise<number>,
): Promise<LoadResult> {
  const certificates = cards.map((card) => Buffer.from(card.certificates['9E']).toString('base64'));
  // Each platform process parses and checks a certificate the first time it sees it: every card
  // is tapped once on every process, by the readers that process serves.
  const nextCard = baseUrls.map(() => 0);
  await Promise.all(
    readers.map(async (reader, i) => {
      const replica = i % baseUrls.length;
      const connection = new ReaderConnection(baseUrls[replica]!, reader.credential);
      try {
        while (nextCard[replica]! < cards.length) {
          const pick = nextCard[replica]!++;
          if (!(await oneTap(connection, cards[pick]!, certificates[pick]!))) throw new Error(`the first tap of card ${pick} was not granted`);
        }
      } finally {
        await connection.close();
      }
    }),
  );
  const latencies: number[] = [];
  let errors = 0;
  const warmupEnds = performance.now() + warmupSeconds * 1000;
  const ends = warmupEnds + seconds * 1000;
  const cpu = { start: Number.NaN, end: Number.NaN };
  let localStart: NodeJS.CpuUsage | undefined;
  const cpuStart = new Promise<void>((resolve) =>
    setTimeout(() => {
      localStart = process.cpuUsage();
      void cpuSeconds().then((v) => ((cpu.start = v), resolve()));
    }, warmupSeconds * 1000),
  );
  let from = Number.POSITIVE_INFINITY;
  let to = 0;
  await Promise.all(
    readers.map(async (reader, i) => {
      const connection = new ReaderConnection(baseUrls[i % baseUrls.length]!, reader.credential);
      try {
        for (;;) {
          const started = performance.now();
          if (started >= ends) break;
          const pick = Math.floor(Math.random() * cards.length);
          const ok = await oneTap(connection, cards[pick]!, certificates[pick]!).catch(() => false);
          const finished = performance.now();
          if (started < warmupEnds) continue;
          from = Math.min(from, started);
          to = Math.max(to, finished);
          if (ok) latencies.push(finished - started);
          else errors++;
        }
      } finally {
        await connection.close();
      }
    }),
  );
  const local = process.cpuUsage(localStart);
  cpu.end = await cpuSeconds();
  await cpuStart;
  return { latencies, errors, seconds: (to - from) / 1000, cpuAfterWarmup: cpu, loadGeneratorCpuMs: (local.user + local.system) / 1000 };
}

export function percentile(sorted: readonly number[], q: number): number {
  return sorted.length === 0 ? Number.NaN : sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}
