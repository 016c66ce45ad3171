import { expect } from 'chai';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NamedBySourceMigrations } from '../../../shared/db/migration-source.js';

describe('NamedBySourceMigrations', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'tessera-migrations-'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  const folder = (name: string, files: Record<string, string>) => {
    const directory = join(root, name);
    mkdirSync(directory);
    for (const [file, text] of Object.entries(files)) writeFileSync(join(directory, file), text);
    return directory;
  };

  it('names compiled migrations after their TypeScript source, sorted across folders, skipping maps and declarations', async () => {
    const core = folder('core', { '002_b.js': 'export const up = () => 2;', '002_b.js.map': '{}', '002_b.d.ts': '' });
    const module = folder('module', { '001_a.js': 'export const up = () => 1;', '003_c.ts': '' });
    const source = new NamedBySourceMigrations([core, module]);
    const migrations = await source.getMigrations();
    expect(migrations.map((m) => source.getMigrationName(m))).to.deep.equal(['001_a.ts', '002_b.ts', '003_c.ts']);
    const first = await source.getMigration(migrations[0]!);
    expect((first.up as unknown as () => number)()).to.equal(1);
  });

  it('refuses two folders holding migrations of one name', async () => {
    const a = folder('a', { '001_same.ts': '' });
    const b = folder('b', { '001_same.js': '' });
    let failure: unknown;
    await new NamedBySourceMigrations([a, b]).getMigrations().catch((error: unknown) => (failure = error));
    expect(String(failure)).to.match(/Two migrations are named 001_same\.ts/);
  });
});
