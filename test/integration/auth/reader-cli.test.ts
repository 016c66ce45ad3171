import { expect } from 'chai';
import { buildProgram } from '../../../services/platform/cli/program.js';
import { createCliEnvironment, type CliEnvironment } from '../../support/cli-environment.js';
import { runCli } from '../../support/platform-process.js';

/** Runs `tessera <args>` in this process (same commander program as bin/tessera.js), capturing what it prints. */
async function runInProcess(args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  const saved = { env: { ...process.env }, out: process.stdout.write, err: process.stderr.write, exitCode: process.exitCode };
  let stdout = '';
  let stderr = '';
  Object.assign(process.env, env);
  process.exitCode = 0;
  process.stdout.write = ((chunk: string) => ((stdout += chunk), true)) as typeof process.stdout.write;
  process.stderr.write = ((chunk: string) => ((stderr += chunk), true)) as typeof process.stderr.write;
  try {
    await buildProgram().exitOverride().parseAsync(['node', 'tessera', ...args]);
    return { code: Number(process.exitCode ?? 0), stdout, stderr };
  } finally {
    process.stdout.write = saved.out;
    process.stderr.write = saved.err;
    process.exitCode = saved.exitCode;
    for (const key of Object.keys(env)) delete process.env[key];
    Object.assign(process.env, saved.env);
  }
}

describe('auth: tessera reader add | list | revoke', function () {
  this.timeout(120_000);
  let env: Record<string, string>;
  let cli: CliEnvironment | undefined;

  before(async () => {
    cli = await createCliEnvironment('tessera-reader-cli-');
    env = cli.env;
  });
  after(() => cli?.dispose());

  let secret = '';

  it('is wired into bin/tessera: `reader add` registers a reader and prints its credential once', async () => {
    const added = await runCli(['reader', 'add', 'cli-door-0', '--kind', 'door', '--site', 'Depot', '--location', 'Gate', '--target', 'Gate A'], env);
    expect(added.code, added.stderr).to.equal(0);
    expect(added.stdout).to.match(/^tsr1\.[0-9a-f-]{36}\.[A-Za-z0-9_-]{43}$/m);
    secret = added.stdout.match(/^tsr1\.\S+$/m)![0].split('.')[2]!;
  });

  it('lists readers without their credentials and revokes one by name', async () => {
    const listed = await runInProcess(['reader', 'list', '--json'], env);
    expect(listed.code, listed.stderr).to.equal(0);
    const rows = listed.stdout.trim().split('\n').map((line) => JSON.parse(line) as { name: string; status: string; hasCredential: boolean });
    expect(rows.find((r) => r.name === 'cli-door-0')).to.include({ status: 'active', hasCredential: true });
    expect(listed.stdout).not.to.contain(secret);

    const revoked = await runInProcess(['reader', 'revoke', 'cli-door-0'], env);
    expect(revoked.code, revoked.stderr).to.equal(0);
    const after = await runInProcess(['reader', 'list'], env);
    expect(after.stdout).to.match(/cli-door-0\tdoor\tDepot \/ Gate\trevoked/);
  });
});
