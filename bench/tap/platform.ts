import { spawn, type ChildProcess } from 'node:child_process';
import { compiledEntry } from '../support/compiled-build.js';
import { freePort } from '../../services/ledger/testing/spawn-platform.js';

export interface RunningReplica {
  readonly url: string;
  /** process_cpu_seconds_total from its /metrics. */
  cpuSeconds(): Promise<number>;
  stop(): Promise<void>;
}

const bin = compiledEntry('services/platform/cli/main.ts');

/** `tessera start --only auth` (the compiled build) as a child process on the bench database; resolves once it listens. */
export async function startReplica(env: Record<string, string>): Promise<RunningReplica> {
  const port = await freePort();
  const child: ChildProcess = spawn(process.execPath, [...(process.env.BENCH_PLATFORM_NODE_ARGS?.split(' ').filter(Boolean) ?? []), bin, 'start', '--only', 'auth'], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn', TESSERA_SEED_DEMO: 'false', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    let stdout = '';
    const timer = setTimeout(() => reject(new Error(`platform did not start: ${stderr}`)), 180_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (/API\s+\S+\/v1\//.test(stdout)) {
        clearTimeout(timer);
        resolve(`http://127.0.0.1:${port}`);
      }
    });
    child.once('exit', (code) => reject(new Error(`platform exited with ${code}: ${stderr}`)));
  });
  return {
    url,
    cpuSeconds: async () => {
      const text = await (await fetch(`${url}/metrics`)).text();
      const match = /^tessera_process_cpu_seconds_total (\S+)$/m.exec(text);
      return match ? Number(match[1]) : Number.NaN;
    },
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
