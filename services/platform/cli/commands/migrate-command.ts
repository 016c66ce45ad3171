import type { Command } from 'commander';
import { migrateDown, migrateLatest, migrationStatus, openDatabase, type Database } from '../../../../shared/db/index.js';
import { migrationOptionsFor } from '../../app.js';
import { allServices } from '../../services.js';
import { configOrExit } from '../config-or-exit.js';

async function withDatabase(work: (db: Database) => Promise<void>): Promise<void> {
  const config = configOrExit();
  const db = openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, poolMax: 2 });
  try {
    await work(db);
  } finally {
    await db.close();
  }
}

export function registerMigrateCommands(program: Command): void {
  const migrate = program.command('migrate').description('manage the database schema (core and module migrations)');
  const options = () => migrationOptionsFor(allServices());

  migrate
    .command('up')
    .description('apply every pending migration')
    .action(() =>
      withDatabase(async (db) => {
        const applied = await migrateLatest(db, options());
        process.stdout.write(applied.length ? `Applied:\n${applied.map((m) => `  ${m}`).join('\n')}\n` : 'Already up to date.\n');
      }),
    );

  migrate
    .command('down')
    .description('undo the most recent migration')
    .action(() =>
      withDatabase(async (db) => {
        const reverted = await migrateDown(db, options());
        process.stdout.write(reverted.length ? `Reverted ${reverted.join(', ')}\n` : 'Nothing to revert.\n');
      }),
    );

  migrate
    .command('status')
    .description('list applied and pending migrations; exits 1 when any are pending')
    .action(() =>
      withDatabase(async (db) => {
        const status = await migrationStatus(db, options());
        const lines = [
          ...status.applied.map((m) => `  applied  ${m}`),
          ...status.pending.map((m) => `  pending  ${m}`),
        ];
        process.stdout.write(`${db.description}\n${lines.join('\n')}\n`);
        if (status.pending.length > 0) process.exitCode = 1;
      }),
    );
}
