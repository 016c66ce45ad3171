import { expect } from 'chai';
import { coreMigrationsDirectory, migrateDown, migrateLatest, migrateRollback, migrationStatus } from '../../../shared/db/index.js';
import { readdirSync } from 'node:fs';
import { createTestDatabase, type TestDatabase } from '../../support/test-database.js';

const migrationFiles = readdirSync(coreMigrationsDirectory).filter((f) => f.endsWith('.ts')).sort();

async function tableNames(db: TestDatabase): Promise<string[]> {
  const result = await db.knex.raw(
    "select table_name from information_schema.tables where table_schema = current_schema() and table_name not like 'knex_%' order by 1",
  );
  return (result.rows as { table_name: string }[]).map((r) => r.table_name);
}

describe('migrations', () => {
  let db: TestDatabase;
  before(async () => {
    db = await createTestDatabase({ migrate: false });
  });
  after(() => db.dispose());

  it('start with every core migration pending on an empty database', async () => {
    const status = await migrationStatus(db);
    expect(status.applied).to.deep.equal([]);
    expect(status.pending).to.deep.equal(migrationFiles);
  });

  it('go up, then down one at a time to an empty schema, then up again to the same schema', async () => {
    const applied = await migrateLatest(db);
    expect(applied).to.deep.equal(migrationFiles);
    const tablesUp = await tableNames(db);
    expect(tablesUp).to.include('platform_settings');

    for (let remaining = migrationFiles.length; remaining > 0; remaining--) {
      const [reverted] = await migrateDown(db);
      expect(reverted).to.equal(migrationFiles[remaining - 1]);
    }
    expect(await tableNames(db)).to.deep.equal([]);
    expect((await migrationStatus(db)).applied).to.deep.equal([]);

    expect(await migrateLatest(db)).to.deep.equal(migrationFiles);
    expect(await tableNames(db)).to.deep.equal(tablesUp);
  });

  it('are idempotent: a second run applies nothing', async () => {
    expect(await migrateLatest(db)).to.deep.equal([]);
  });

  it('roll back everything and re-apply', async () => {
    await migrateRollback(db, { all: true });
    expect(await tableNames(db)).to.deep.equal([]);
    await migrateLatest(db);
    expect((await migrationStatus(db)).pending).to.deep.equal([]);
  });
});
