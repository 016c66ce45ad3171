/**
 * Fixtures for tests that go through a real pcscd: make sure the daemon runs (start it when it
 * does not, stop it after), and check for the system packages first. A missing package skips
 * the suite with the apt-get line, except under CI=true, where it fails the run instead.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';
import { loadPcscLite, PcscReaderProvider } from '../../shared/readers/index.js';

const run = promisify(execFile);

export const PCSC_APT_LINE = 'apt-get install pcscd vsmartcard-vpcd libpcsclite-dev opensc yubico-piv-tool';
export const VPCD_DRIVER = '/usr/lib/pcsc/drivers/serial/libifdvpcd.so';
/** vpcd slot n listens on 35963+n and appears in pcscd as "Virtual PCD 00 0n" (digest §1). */
export const VPCD_SLOTS = [
  { slot: 0, port: 35963, reader: 'Virtual PCD 00 00' },
  { slot: 1, port: 35964, reader: 'Virtual PCD 00 01' },
] as const;

/** The absolute path of an executable on PATH (plus the sbin directories), or undefined. */
export function findExecutable(name: string): string | undefined {
  const dirs = [...(process.env['PATH'] ?? '').split(delimiter), '/usr/sbin', '/sbin', '/usr/local/sbin'];
  return dirs.map((d) => join(d, name)).find((p) => existsSync(p));
}

/**
 * Skip the running suite (or fail it under CI=true) when something it needs is missing.
 * `missing` lists "what (Debian package)"; call this from a `before` hook.
 */
export function skipOrFailWhenMissing(ctx: Mocha.Context, missing: readonly string[]): void {
  if (missing.length === 0) return;
  const message = `missing ${missing.join(', ')}; install with: ${PCSC_APT_LINE}`;
  if (process.env['CI'] === 'true') throw new Error(`CI=true and ${message}`);
  console.warn(`      skipping "${ctx.test?.parent?.title ?? 'suite'}": ${message}`);
  ctx.skip();
}

/** What this machine lacks for pcscd + vpcd tests, each named with its Debian package. */
export async function missingPcscPieces(): Promise<string[]> {
  const missing: string[] = [];
  if (findExecutable('pcscd') === undefined) missing.push('pcscd (pcscd)');
  if (!existsSync(VPCD_DRIVER)) missing.push('the vpcd driver (vsmartcard-vpcd)');
  try {
    await loadPcscLite();
  } catch {
    missing.push('the pcsclite binding (libpcsclite-dev, then npm rebuild pcsclite)');
  }
  return missing;
}

export interface PcscdLease {
  /** True when this fixture started pcscd (and will stop it). */
  readonly started: boolean;
  release(): Promise<void>;
}

let owned: { child: ChildProcess; users: number } | undefined;

/**
 * Makes sure pcscd runs with its vpcd readers: use a running one (`pgrep -x pcscd`), else start
 * `pcscd --foreground` as a child and stop it when the last lease is released.
 */
export async function usePcscd(): Promise<PcscdLease> {
  if (owned) {
    owned.users++;
    return lease(true);
  }
  if (await isPcscdRunning()) {
    await waitForVpcdReaders();
    return { started: false, release: async () => undefined };
  }
  const binary = findExecutable('pcscd');
  if (binary === undefined) throw new Error(`pcscd is not installed; ${PCSC_APT_LINE}`);
  const child = spawn(binary, ['--foreground'], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
  owned = { child, users: 1 };
  try {
    await waitForVpcdReaders(child);
  } catch (err) {
    await stopOwned();
    throw new Error(`pcscd did not come up with the vpcd readers: ${(err as Error).message}\n${stderr}`);
  }
  return lease(true);
}

function lease(started: boolean): PcscdLease {
  let released = false;
  return {
    started,
    release: async () => {
      if (released || !owned) return;
      released = true;
      if (--owned.users === 0) await stopOwned();
    },
  };
}

async function stopOwned(): Promise<void> {
  const child = owned?.child;
  owned = undefined;
  if (!child || child.exitCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  await exited;
}

async function isPcscdRunning(): Promise<boolean> {
  try {
    await run('pgrep', ['-x', 'pcscd'], { timeout: 5000 });
    return true;
  } catch {
    return false;
  }
}

/** Polls PC/SC until the vpcd readers are listed (pcscd loads its readers after it opens the socket). */
async function waitForVpcdReaders(child?: ChildProcess, attempts = 50): Promise<void> {
  let last: unknown;
  for (let i = 0; i < attempts; i++) {
    if (child && child.exitCode !== null) throw new Error(`pcscd exited with ${child.exitCode}`);
    const provider = new PcscReaderProvider({ startTimeoutMs: 5000 });
    try {
      const names = (await provider.listReaders()).map((r) => r.name);
      if (VPCD_SLOTS.some((s) => names.includes(s.reader))) return;
      last = new Error(`readers listed: ${names.join(', ') || 'none'}; is the vpcd reader configured in /etc/reader.conf.d/?`);
    } catch (err) {
      last = err;
    } finally {
      await provider.close();
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw last instanceof Error ? last : new Error(String(last));
}
