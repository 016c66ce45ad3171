/**
 * npm run bench:http — what the platform's HTTP stack costs per request, against bare node:http.
 *
 * Each server runs as a child process answering POST /v1/echo/{id} (a small JSON body, validated
 * and echoed); 32 keep-alive connections from this process post back to back for BENCH_SECONDS
 * (default 5) after a 2 s warm-up. The figure that matters is the server's CPU time per request:
 * on a 2-core machine shared with PostgreSQL and the load generator, it is what bounds taps/s and
 * debits/s. Last line: RESULT {"bare_cpu_us":…,"platform_cpu_us":…,"ratio":…,"platform_req_per_s":…}.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { JsonClient } from './support/json-client.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const CONNECTIONS = 32;
const WARMUP_MS = 2000;
const serverFile = fileURLToPath(new URL('./http/server.ts', import.meta.url));

interface Figures {
  readonly perSecond: number;
  readonly cpuUsPerRequest: number;
  readonly p50: number;
  readonly p99: number;
}

async function ask<T>(child: ChildProcess, message: string): Promise<T> {
  child.send(message);
  const [answer] = (await once(child, 'message')) as [T];
  return answer;
}

async function measure(kind: 'bare' | 'platform'): Promise<Figures> {
  const child = fork(serverFile, [kind], { execArgv: ['--import', 'tsx', ...(kind === 'platform' ? (process.env.BENCH_SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean) : [])], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  try {
    const [{ port }] = (await once(child, 'message')) as [{ port: number }];
    const client = new JsonClient(`http://127.0.0.1:${port}`, 'unused', CONNECTIONS);
    const latencies: number[] = [];
    let cpuStart = 0;
    const started = performance.now();
    const windowStarts = started + WARMUP_MS;
    const ends = windowStarts + SECONDS * 1000;
    const cpuAtWindow = new Promise<void>((resolve) => setTimeout(() => void ask<{ cpuMs: number }>(child, 'cpu').then((m) => ((cpuStart = m.cpuMs), resolve())), WARMUP_MS));
    await Promise.all(
      Array.from({ length: CONNECTIONS }, async () => {
        for (;;) {
          const t = performance.now();
          if (t >= ends) break;
          const answer = await client.post('/v1/echo/bench-1', { name: 'Ada Lovelace', amount: 250 });
          if (answer.status !== 200) throw new Error(`${kind}: status ${answer.status}: ${answer.text}`);
          if (t >= windowStarts) latencies.push(performance.now() - t);
        }
      }),
    );
    await cpuAtWindow;
    const { cpuMs } = await ask<{ cpuMs: number }>(child, 'cpu');
    await client.close();
    latencies.sort((a, b) => a - b);
    const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]!;
    return { perSecond: latencies.length / SECONDS, cpuUsPerRequest: ((cpuMs - cpuStart) * 1000) / latencies.length, p50: at(0.5), p99: at(0.99) };
  } finally {
    child.send('stop');
    await once(child, 'exit');
  }
}

const describe = (name: string, f: Figures) =>
  `${name.padEnd(9)} ${f.perSecond.toFixed(0).padStart(6)} req/s  server CPU ${f.cpuUsPerRequest.toFixed(0).padStart(4)} µs/request  p50 ${f.p50.toFixed(2)} ms  p99 ${f.p99.toFixed(2)} ms`;
process.stdout.write(`http benchmark: ${CONNECTIONS} connections, ${SECONDS} s window, POST /v1/echo/{id}\n`);
const bare = await measure('bare');
process.stdout.write(`${describe('bare', bare)}\n`);
const platform = await measure('platform');
process.stdout.write(`${describe('platform', platform)}\n`);
const ratio = platform.cpuUsPerRequest / bare.cpuUsPerRequest;
process.stdout.write(`the platform's stack costs ${ratio.toFixed(2)}x bare node:http per request\n`);
process.stdout.write(
  `RESULT ${JSON.stringify({ bare_cpu_us: Math.round(bare.cpuUsPerRequest), platform_cpu_us: Math.round(platform.cpuUsPerRequest), ratio: Number(ratio.toFixed(2)), platform_req_per_s: Math.round(platform.perSecond) })}\n`,
);
