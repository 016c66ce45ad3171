import { expect } from 'chai';
import { readdirSync } from 'node:fs';
import { coreMigrationsDirectory } from '../../../shared/db/index.js';
import { freePort, spawnCli, waitForExit, waitForStatus } from '../../support/platform-process.js';
import { createTestDatabase, onPostgres, type TestDatabase } from '../../support/test-database.js';

describe('two platform processes starting at once on one PostgreSQL', function () {
  this.timeout(120_000);
  let db: TestDatabase;
  before(async function () {
    // PGlite is one process's private database; this is about a shared PostgreSQL.
    if (!onPostgres) this.skip();
    db = await createTestDatabase({ migrate: false });
  });
  after(() => db?.dispose());

  it('migrate exactly once between them, and both become ready', async () => {
    const ports = [await freePort(), await freePort()];
    const kek = Buffer.alloc(32, 1).toString('base64');
    const children = ports.map((port) => spawnCli(['start'], { PORT: String(port), DATABASE_URL: db.url, TESSERA_KEK: kek, LOG_LEVEL: 'info' }));
    const exits = children.map((c) => waitForExit(c, 90_000));
    try {
      await Promise.all(ports.map((port) => waitForStatus(`http://127.0.0.1:${port}/readyz`, 200, 60_000)));
    } finally {
      for (const child of children) child.kill('SIGTERM');
    }
    const results = await Promise.all(exits);
    for (const result of results) expect(result.code, result.stderr).to.equal(0);
    const applying = results.filter((r) => r.stdout.includes('migrations applied'));
    expect(applying, 'exactly one process applies the migrations').to.have.length(1);
    const rows = (await db.knex('knex_migrations').select('name')) as { name: string }[];
    const names = rows.map((r) => r.name);
    expect(new Set(names).size).to.equal(names.length);
    for (const file of readdirSync(coreMigrationsDirectory).filter((f) => f.endsWith('.ts'))) expect(names).to.include(file);
  });
});
