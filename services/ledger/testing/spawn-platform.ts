import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

/**
 * FOR TESTS AND BENCHMARKS ONLY: the platform as a child process, either the real
 * `node bin/tessera.js start` (every service, staff sign in through POST /v1/sessions) or the
 * ledger alone with the trusted test staff (run-platform-with-trusted-staff.ts).
 */
export interface PlatformProcess {
  readonly url: string;
  readonly child: ChildProcess;
  /** What the child wrote to stderr so far (for failure messages). */
  stderr(): string;
  /** SIGKILL: no shutdown hooks, no graceful close, like a crash. */
  kill9(): Promise<void>;
  /** SIGTERM and wait for the graceful stop. */
  stop(): Promise<void>;
}

const runner = fileURLToPath(new URL('./run-platform-with-trusted-staff.ts', import.meta.url));
const tesseraBin = fileURLToPath(new URL('../../../bin/tessera.js', import.meta.url));

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export interface SpawnOptions {
  readonly databaseUrl: string;
  readonly port?: number;
  readonly batching?: boolean;
  readonly env?: Record<string, string>;
  /** Extra node flags, e.g. --cpu-prof to profile the platform. */
  readonly nodeArgs?: readonly string[];
  /** TESSERA_KEK (base64 of 32 bytes): pass the same one to every restart on one database, or its sealed secrets cannot be opened. */
  readonly kek?: string;
  /** 'tessera-start' runs `node bin/tessera.js start`; the default runs the ledger with trusted test staff. */
  readonly via?: 'tessera-start' | 'trusted-staff';
  /** The trusted-staff runner from the compiled build (this file's .js in dist/, after npm run build) instead of the sources under tsx. */
  readonly compiledRunner?: string;
}

export async function spawnPlatform(options: SpawnOptions): Promise<PlatformProcess> {
  const port = options.port ?? (await freePort());
  const viaStart = options.via === 'tessera-start';
  const args = viaStart ? [tesseraBin, 'start'] : options.compiledRunner ? [options.compiledRunner] : ['--import', 'tsx', runner];
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), ...args], {
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '/tmp',
      DATABASE_URL: options.databaseUrl,
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'silent',
      TESSERA_KEK: options.kek ?? randomBytes(32).toString('base64'),
      TESSERA_SEED_DEMO: 'false',
      ...(viaStart ? {} : { TESSERA_ONLY: 'ledger' }),
      ...(options.batching === false ? { LEDGER_BATCHING: 'off' } : {}),
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    let stdout = '';
    const timer = setTimeout(() => reject(new Error(`platform did not start within 60 s: ${stderr}`)), 60_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      // The runner prints `listening <url>`; `tessera start` prints `API  <url>/v1/`.
      const match = /listening (\S+)/.exec(stdout) ?? /API\s+(\S+)\/v1\//.exec(stdout);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`platform exited (${code ?? signal}) before listening: ${stderr}`));
    });
  });
  return {
    url,
    child,
    stderr: () => stderr,
    kill9: async () => {
      child.kill('SIGKILL');
      await exited;
    },
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
    },
  };
}
