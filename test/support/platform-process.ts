import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const tesseraBin = fileURLToPath(new URL('../../bin/tessera.js', import.meta.url));

/** A port nobody listens on right now, for child processes that need a fixed PORT (one helper for tests and benches). */
export { freePort } from '../../services/ledger/testing/spawn-platform.js';

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs `tessera <args>` to completion with a clean environment plus `env`. */
export function runCli(args: string[], env: Record<string, string | undefined> = {}, options: { timeoutMs?: number; input?: string } = {}): Promise<CliResult> {
  const child = spawnCli(args, env);
  if (options.input !== undefined) child.stdin!.end(options.input);
  else child.stdin!.end();
  return waitForExit(child, options.timeoutMs ?? 60_000);
}

export function spawnCli(args: string[], env: Record<string, string | undefined> = {}): ChildProcess & { output: { stdout: string; stderr: string } } {
  const base: Record<string, string> = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', LOG_LEVEL: 'warn' };
  const merged = Object.fromEntries(Object.entries({ ...base, ...env }).filter(([, v]) => v !== undefined)) as Record<string, string>;
  const child = spawn(process.execPath, [tesseraBin, ...args], { env: merged, stdio: ['pipe', 'pipe', 'pipe'] });
  const output = { stdout: '', stderr: '' };
  child.stdout!.on('data', (chunk: Buffer) => (output.stdout += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output.stderr += chunk.toString()));
  return Object.assign(child, { output });
}

export function waitForExit(child: ChildProcess & { output?: { stdout: string; stderr: string } }, timeoutMs: number): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`process did not exit within ${timeoutMs} ms; stderr: ${child.output?.stderr ?? ''}`));
    }, timeoutMs);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      // Let the pipes drain before reading what the process wrote.
      setImmediate(() => resolve({ code, signal, stdout: child.output?.stdout ?? '', stderr: child.output?.stderr ?? '' }));
    });
  });
}

/** Polls a URL until it answers `status` or the time runs out; resolves with how long it took. */
export async function waitForStatus(url: string, status: number, timeoutMs: number): Promise<number> {
  const started = Date.now();
  for (;;) {
    try {
      const response = await fetch(url);
      if (response.status === status) return Date.now() - started;
    } catch {
      // not listening yet
    }
    if (Date.now() - started > timeoutMs) throw new Error(`${url} did not answer ${status} within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
