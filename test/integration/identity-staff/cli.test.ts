import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { expect } from 'chai';
import { openDatabase, type Database } from '../../../shared/db/index.js';
import { verifyPassword } from '../../../services/identity/staff/password-hash.js';
import { createTestDatabase, onPostgres, type TestDatabase } from '../../support/test-database.js';
import { withTriggersOff } from '../audit/tamper.js';

const bin = resolve(import.meta.dirname, '../../../bin/tessera.js');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

describe(`tessera staff / audit CLI as child processes (${onPostgres ? 'PostgreSQL' : 'PGlite'})`, function () {
  // Each command is a fresh Node process opening the database: seconds each, more on the embedded one.
  this.timeout(120_000);
  let pg: TestDatabase | undefined;
  let dataDir: string | undefined;
  let env: NodeJS.ProcessEnv;

  before(async () => {
    const base: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: 'silent' };
    delete base.DATABASE_URL;
    delete base.TESSERA_DATA_DIR;
    if (onPostgres) {
      pg = await createTestDatabase({ migrate: false });
      env = { ...base, DATABASE_URL: pg.url };
    } else {
      dataDir = mkdtempSync(join(tmpdir(), 'tessera-cli-'));
      env = { ...base, TESSERA_DATA_DIR: dataDir };
    }
  });
  after(async () => {
    await pg?.dispose();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  const tessera = (args: string[], stdin?: string): Promise<Run> =>
    new Promise((done, fail) => {
      const child = spawn(process.execPath, [bin, ...args], { env, stdio: ['pipe', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      child.on('error', fail);
      child.on('close', (code) => done({ code, stdout, stderr }));
      child.stdin.end(stdin ?? '');
    });

  /** The same database in this process, between commands (PGlite allows one process at a time). */
  async function inspect<T>(work: (db: Database) => Promise<T>): Promise<T> {
    const db = onPostgres ? openDatabase({ databaseUrl: pg!.url! }) : openDatabase({ dataDir: dataDir! });
    try {
      return await work(db);
    } finally {
      await db.close();
    }
  }

  it('prints --help for the staff and audit commands', async () => {
    const staff = await tessera(['staff', '--help']);
    expect(staff.code, staff.stderr).to.equal(0);
    for (const sub of ['add', 'list', 'disable', 'enable', 'password']) expect(staff.stdout).to.match(new RegExp(`\\n  ${sub} `));
    const add = await tessera(['staff', 'add', '--help']);
    expect(add.stdout).to.match(/Usage: tessera staff add \[options\] <username>/);
    expect(add.stdout).to.match(/--password-stdin/);
    const verify = await tessera(['audit', 'verify', '--help']);
    expect(verify.code).to.equal(0);
    expect(verify.stdout).to.match(/Usage: tessera audit verify/);
  });

  it('staff add: password from stdin, or generated and printed once', async () => {
    const root = await tessera(['staff', 'add', 'root', '--role', 'admin', '--name', 'Root Admin', '--password-stdin'], 'root-password-from-stdin\n');
    expect(root.code, root.stderr).to.equal(0);
    expect(root.stdout).to.match(/Created staff account 'root' \(admin\)/);
    expect(root.stdout).to.not.match(/Password/);
    // The first command brought the schema up to date; the rest need not check again (faster on a busy machine).
    env.TESSERA_MIGRATE = 'skip';

    const temp = await tessera(['staff', 'add', 'temp', '--role', 'reception', 'finance']);
    expect(temp.code, temp.stderr).to.equal(0);
    const generated = /Password \(shown once[^)]*\): (\S+)/.exec(temp.stdout)?.[1];
    expect(generated).to.be.a('string');

    await inspect(async (db) => {
      const rows = await db.knex('staff_accounts').orderBy('username');
      expect(rows.map((r) => [r.username, r.display_name, r.roles])).to.deep.equal([
        ['root', 'Root Admin', ['admin']],
        ['temp', 'temp', ['reception', 'finance']],
      ]);
      expect(await verifyPassword('root-password-from-stdin', rows[0].password_hash)).to.equal(true);
      expect(await verifyPassword(generated!, rows[1].password_hash)).to.equal(true);
      const event = await db.knex('audit_events').where({ action: 'staff.create' }).orderBy('seq').first();
      expect(event.actor_kind).to.equal('cli');
    });
  });

  it('staff add refuses a bad role and a short password, exiting non-zero', async () => {
    const badRole = await tessera(['staff', 'add', 'carol', '--role', 'wizard']);
    expect(badRole.code).to.equal(1);
    expect(badRole.stderr).to.match(/unknown role\(s\) wizard/);
    const short = await tessera(['staff', 'add', 'carol', '--role', 'finance', '--password-stdin'], 'short\n');
    expect(short.code).to.equal(1);
    expect(short.stderr).to.match(/at least 12 characters/);
  });

  it('staff list prints a table, or JSON with --json', async () => {
    const table = await tessera(['staff', 'list']);
    expect(table.code, table.stderr).to.equal(0);
    expect(table.stdout.split('\n')[0]).to.match(/^USERNAME\s+NAME\s+ROLES\s+STATUS$/);
    expect(table.stdout).to.match(/root\s+Root Admin\s+admin\s+active/);
    const json = await tessera(['staff', 'list', '--json']);
    const staff = JSON.parse(json.stdout) as { username: string; roles: string[] }[];
    expect(staff.map((s) => s.username)).to.deep.equal(['root', 'temp']);
    expect(json.stdout).to.not.match(/scrypt|password_?hash/i);
  });

  it('staff disable: refused for the last admin, done for others', async () => {
    const last = await tessera(['staff', 'disable', 'root']);
    expect(last.code).to.equal(1);
    expect(last.stderr).to.match(/last active admin/);
    const temp = await tessera(['staff', 'disable', 'temp']);
    expect(temp.code, temp.stderr).to.equal(0);
    expect(temp.stdout).to.match(/'temp' is disabled/);
  });

  it('audit verify exits 0 on an intact chain and 65 naming the damaged row', async () => {
    const clean = await tessera(['audit', 'verify']);
    expect(clean.code, clean.stderr).to.equal(0);
    expect(clean.stdout).to.match(/Audit chain intact .*: 3 events; head seq 3/);

    await inspect((db) =>
      withTriggersOff(db, async (trx) => {
        await trx('audit_events').where({ seq: 2 }).update({ details: JSON.stringify({ username: 'someone-else' }) });
      }),
    );
    const damaged = await tessera(['audit', 'verify']);
    expect(damaged.code).to.equal(65);
    expect(damaged.stderr).to.match(/DAMAGED .*: edited at seq 2/);
  });
});
