import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, runCli, spawnCli, waitForExit, waitForStatus } from '../../support/platform-process.js';

describe('the tessera command', function () {
  this.timeout(120_000);
  let dataDir: string;
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'tessera-cli-'));
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it('has --help on every subcommand', async () => {
    for (const args of [['--help'], ['start', '--help'], ['migrate', '--help'], ['migrate', 'up', '--help'], ['migrate', 'down', '--help'], ['migrate', 'status', '--help']]) {
      const result = await runCli(args);
      expect(result.code, args.join(' ')).to.equal(0);
      expect(result.stdout).to.match(/^Usage: tessera/m);
    }
  });

  it('refuses a bad configuration with one message naming every bad variable, and exits non-zero', async () => {
    const result = await runCli(['start'], { PORT: 'eighty', LOG_LEVEL: 'chatty', TESSERA_DATA_DIR: dataDir });
    expect(result.code).to.equal(78);
    expect(result.stderr).to.match(/Invalid configuration/);
    expect(result.stderr).to.match(/PORT: expected/);
    expect(result.stderr).to.match(/LOG_LEVEL: expected/);
    expect(result.stderr.match(/Invalid configuration/g)).to.have.length(1);
  });

  it('needs TESSERA_KEK with DATABASE_URL, and says so before connecting', async () => {
    const result = await runCli(['start'], { DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none', PORT: String(await freePort()) });
    expect(result.code).to.equal(78);
    expect(result.stderr).to.match(/TESSERA_KEK: expected .*required with DATABASE_URL/);
  });

  it('names the reason in one line when the database cannot be reached', async () => {
    const kek = Buffer.alloc(32, 3).toString('base64');
    const result = await runCli(['start'], { DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none', TESSERA_KEK: kek, PORT: String(await freePort()) });
    expect(result.code).to.equal(1);
    expect(result.stderr).to.match(/^tessera: could not start: .*ECONNREFUSED/m);
    expect(result.stderr).not.to.match(/\n\s+at /);
  });

  it('starts on the embedded database, prints its URLs, serves /healthz within 15 s, and stops cleanly on SIGTERM', async () => {
    const port = await freePort();
    const child = spawnCli(['start'], { PORT: String(port), TESSERA_DATA_DIR: dataDir });
    const exited = waitForExit(child, 60_000);
    const tookMs = await waitForStatus(`http://127.0.0.1:${port}/healthz`, 200, 15_000);
    expect(tookMs).to.be.below(15_000);
    await waitForStatus(`http://127.0.0.1:${port}/readyz`, 200, 90_000);
    expect(child.output.stdout).to.include(`http://localhost:${port}/healthz`);
    expect(child.output.stdout).to.include(`http://localhost:${port}/openapi.json`);
    child.kill('SIGTERM');
    const result = await exited;
    expect(result.code).to.equal(0);
  });

  it('keeps its data across a restart: the second start applies no migrations', async () => {
    const port = await freePort();
    const env = { PORT: String(port), TESSERA_DATA_DIR: dataDir, LOG_LEVEL: 'info' };
    const first = spawnCli(['start'], env);
    await waitForStatus(`http://127.0.0.1:${port}/readyz`, 200, 90_000);
    first.kill('SIGINT');
    const firstRun = await waitForExit(first, 30_000);
    expect(firstRun.code).to.equal(0);
    expect(firstRun.stdout).to.include('migrations applied');

    const second = spawnCli(['start'], env);
    await waitForStatus(`http://127.0.0.1:${port}/readyz`, 200, 90_000);
    second.kill('SIGTERM');
    const secondRun = await waitForExit(second, 30_000);
    expect(secondRun.code).to.equal(0);
    expect(secondRun.stdout).not.to.include('migrations applied');

    const status = await runCli(['migrate', 'status'], { TESSERA_DATA_DIR: dataDir });
    expect(status.code).to.equal(0);
    expect(status.stdout).to.match(/applied\s+20261121000000_platform_settings/);
    expect(status.stdout).not.to.match(/pending/);
  });

  it('migrate down then status reports pending (exit 1), and up applies it again', async () => {
    const env = { TESSERA_DATA_DIR: dataDir };
    expect((await runCli(['migrate', 'up'], env)).stdout).to.match(/Applied:/);
    expect((await runCli(['migrate', 'down'], env)).stdout).to.match(/Reverted/);
    const status = await runCli(['migrate', 'status'], env);
    expect(status.code).to.equal(1);
    expect(status.stdout).to.match(/pending/);
    expect((await runCli(['migrate', 'up'], env)).code).to.equal(0);
    expect((await runCli(['migrate', 'status'], env)).code).to.equal(0);
  });
});
