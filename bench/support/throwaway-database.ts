import { randomBytes } from 'node:crypto';
import knexFactory from 'knex';
import { migrateLatest, openDatabase, type Database, type MigrationOptions } from '../../shared/db/index.js';

export interface ThrowawayDatabase {
  readonly url: string;
  readonly db: Database;
  drop(): Promise<void>;
}

/** A database of its own beside the one `adminUrl` names, migrated, for one benchmark run; `drop` removes it. */
export async function createThrowawayDatabase(adminUrl: string, options: { prefix: string; poolMax: number; migrations?: MigrationOptions }): Promise<ThrowawayDatabase> {
  const name = `${options.prefix}_${process.pid}_${randomBytes(3).toString('hex')}`;
  const admin = knexFactory({ client: 'pg', connection: adminUrl, pool: { min: 0, max: 1 } });
  await admin.raw(`create database "${name}"`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const db = openDatabase({ databaseUrl: url.toString(), poolMax: options.poolMax });
  await migrateLatest(db, options.migrations);
  return {
    url: url.toString(),
    db,
    drop: async () => {
      await db.close();
      await admin.raw(`drop database if exists "${name}" with (force)`);
      await admin.destroy();
    },
  };
}
