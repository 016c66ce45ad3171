import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { expect } from 'chai';
import type { Knex } from 'knex';
import { accessModule } from '../../../services/modules/access/index.js';
import { createTestDatabase, type TestDatabase } from '../../support/test-database.js';

describe('access migrations', function () {
  this.timeout(120_000);
  let db: TestDatabase;
  after(() => db?.dispose());

  it('each down undoes its up, in reverse order, and the ups apply again', async () => {
    db = await createTestDatabase({ migrations: { extraDirectories: [accessModule.migrationsDirectory!] } });
    const directory = accessModule.migrationsDirectory!;
    const files = readdirSync(directory).filter((f) => f.endsWith('.ts')).sort();
    expect(files[0]).to.match(/^20261121070000_/);
    const steps = await Promise.all(files.map(async (f) => (await import(pathToFileURL(join(directory, f)).href)) as { up(k: Knex): Promise<void>; down(k: Knex): Promise<void> }));
    const accessTables = async () => (await db.knex('pg_tables').where({ schemaname: 'public' }).where('tablename', 'like', 'access\\_%').pluck('tablename')).length;
    const all = await accessTables();
    expect(all).to.equal(16);
    for (const step of [...steps].reverse()) await step.down(db.knex);
    expect(await accessTables()).to.equal(0);
    for (const step of steps) await step.up(db.knex);
    expect(await accessTables()).to.equal(all);
  });
});
