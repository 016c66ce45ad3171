/**
 * Running middleware nobody here wrote (OpenSC, yubico-piv-tool, openssl) against the card
 * served through pcscd. Always asynchronous: the card answers on this process's event loop.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { findExecutable } from '../../support/pcscd.js';

export interface ToolResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  /** stdout then stderr, for assertions that do not care where a tool printed. */
  readonly output: string;
}

const DEFAULT_TIMEOUT_MS = 30_000;

/** Runs a tool to completion; a non-zero exit is a result, a timeout is an error naming the command. */
export function runTool(command: string, args: readonly string[], timeoutMs = DEFAULT_TIMEOUT_MS): Promise<ToolResult> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { timeout: timeoutMs, encoding: 'utf8', env: { ...process.env, LC_ALL: 'C' } }, (err, stdout, stderr) => {
      const killed = err !== null && (err as NodeJS.ErrnoException & { killed?: boolean }).killed === true;
      if (killed) return reject(new Error(`timed out after ${timeoutMs} ms: ${command} ${args.join(' ')}\n${stdout}${stderr}`));
      if (err !== null && typeof err.code !== 'number') return reject(err);
      resolve({ code: err === null ? 0 : (err.code as number), stdout, stderr, output: stdout + stderr });
    });
  });
}

/** runTool, and a non-zero exit fails with everything the tool said. */
export async function runOk(command: string, args: readonly string[], timeoutMs?: number): Promise<ToolResult> {
  const result = await runTool(command, args, timeoutMs);
  if (result.code !== 0) throw new Error(`${command} ${args.join(' ')} exited ${result.code}:\n${result.output}`);
  return result;
}

const PKCS11_MODULES = ['/usr/lib/x86_64-linux-gnu/opensc-pkcs11.so', '/usr/lib/x86_64-linux-gnu/pkcs11/opensc-pkcs11.so', '/usr/lib/opensc-pkcs11.so', '/usr/lib64/opensc-pkcs11.so'];

export function openscPkcs11Module(): string | undefined {
  return PKCS11_MODULES.find((path) => existsSync(path));
}

/** Tools a conformance suite needs that are absent, each with its Debian package. */
export function missingTools(tools: readonly ('opensc' | 'yubico-piv-tool' | 'openssl')[]): string[] {
  const missing: string[] = [];
  if (tools.includes('opensc')) {
    for (const tool of ['opensc-tool', 'pkcs15-tool', 'pkcs11-tool']) if (!findExecutable(tool)) missing.push(`${tool} (opensc)`);
    if (!openscPkcs11Module()) missing.push('opensc-pkcs11.so (opensc)');
  }
  if (tools.includes('yubico-piv-tool') && !findExecutable('yubico-piv-tool')) missing.push('yubico-piv-tool (yubico-piv-tool)');
  if (tools.includes('openssl') && !findExecutable('openssl')) missing.push('openssl (openssl)');
  return missing;
}
