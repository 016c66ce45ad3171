import { expect } from 'chai';
import { Command } from 'commander';
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { registerCardCommands } from '../../../card-applets-sim/cli/register-card-commands.js';
import { formatCardSummary, summarizeCard } from '../../../card-applets-sim/cli/card-summary.js';
import { factoryState } from '../../../card-applets-sim/store/factory-defaults.js';
import { testKey } from './support/card-harness.js';

/** Run `tessera card ...` in process, capturing stdout and the exit code. */
async function run(args: string[]): Promise<{ out: string; err: string; code: number }> {
  const program = new Command('tessera').exitOverride();
  const card = registerCardCommands(program);
  let err = '';
  for (const cmd of [program, card, ...card.commands]) {
    cmd.exitOverride().configureOutput({ writeErr: (s) => { err += s; }, writeOut: (s) => { out += s; } });
  }
  let out = '';
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((chunk: string) => { out += chunk; return true; }) as typeof process.stdout.write;
  try {
    await program.parseAsync(['node', 'tessera', 'card', ...args]);
    return { out, err, code: 0 };
  } catch (e) {
    return { out, err, code: (e as { exitCode?: number }).exitCode ?? 99 };
  } finally {
    process.stdout.write = write;
  }
}

describe('tessera card (CLI)', () => {
  let dir: string;
  beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'tessera-cli-')); });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('card new creates a blank card and refuses to overwrite it (exit 1)', async () => {
    const file = join(dir, 'c.json');
    const created = await run(['new', file, '--alg', 'p256']);
    expect(created.code).to.equal(0);
    expect(created.out).to.match(/created card .* p256, blank/);
    expect(existsSync(file)).to.equal(true);
    const again = await run(['new', file]);
    expect(again.code).to.equal(1);
    expect(again.err).to.include('already exists');
  });

  it('card new rejects an unknown algorithm', async () => {
    const result = await run(['new', join(dir, 'x.json'), '--alg', 'rsa1024']);
    expect(result.code).to.not.equal(0);
    expect(result.err).to.include('Allowed choices are rsa2048, p256');
  });

  it('card show --json reports slots, tries and the management key state, and no secret', async () => {
    const file = join(dir, 'c.json');
    await run(['new', file, '--provision', '--alg', 'p256']);
    const shown = await run(['show', '--json', file]);
    expect(shown.code).to.equal(0);
    const summary = JSON.parse(shown.out);
    expect(summary.slots).to.deep.equal([
      { slot: '9A', key: 'p256', certificate: true },
      { slot: '9E', key: 'p256', certificate: true },
    ]);
    expect(summary.pin).to.deep.equal({ triesLeft: 3, maxTries: 3 });
    expect(summary.managementKey).to.deep.equal({ alg: '3des', isFactoryDefault: true });
    expect(summary.guid).to.match(/^[0-9A-F]{32}$/);
    expect(shown.out).to.not.include('pkcs8').and.not.include('313233343536');
  });

  it('card show prints a readable summary and fails with exit 1 on a missing file', async () => {
    const file = join(dir, 'c.json');
    await run(['new', file]);
    const shown = await run(['show', file]);
    expect(shown.out).to.include('PIN:             3 of 3 tries left');
    expect(shown.out).to.include('FACTORY DEFAULT');
    expect((await run(['show', join(dir, 'nope.json')])).code).to.equal(1);
  });

  it('summaries flag blocked PINs, changed keys and certificate-only slots', () => {
    const state = factoryState();
    state.pin.triesLeft = 0;
    state.managementKey = { alg: 'aes128', key: '00'.repeat(16) };
    state.keys['9D'] = testKey('p256');
    state.objects['5FC101'] = '53027000';
    const summary = summarizeCard(state);
    expect(summary.slots).to.deep.equal([{ slot: '9D', key: 'p256', certificate: false }, { slot: '9E', key: null, certificate: true }]);
    const text = formatCardSummary(summary);
    expect(text).to.include('0 of 3 tries left (BLOCKED)');
    expect(text).to.include('aes128, changed from default');
  });
});
