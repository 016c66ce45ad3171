import { InvalidArgumentError, type Command } from 'commander';
import { configOrExit } from '../../platform/cli/config-or-exit.js';
import { hasTable } from '../../platform/cli/has-table.js';
import { MIN_TAP_RETENTION_DAYS, purgeTaps } from '../taps/purge-taps.js';
import { cliActor, withAuthDatabase } from './auth-cli-database.js';

/** A whole number of days, at least the minimum retention (a typo must not wipe last month). */
export function parseRetentionDays(value: string): number {
  const days = /^\d+$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(days)) throw new InvalidArgumentError('--older-than must be a whole number of days.');
  if (days < MIN_TAP_RETENTION_DAYS) {
    throw new InvalidArgumentError(`--older-than must be at least ${MIN_TAP_RETENTION_DAYS} days, so a slip cannot delete last month's taps.`);
  }
  return days;
}

/** `tessera taps purge`: retention of tap records (docs/tap-protocol.md, Retention). */
export function registerTapCommands(program: Command): void {
  const taps = program.command('taps').description('tap records');

  taps
    .command('purge')
    .description(
      'delete tap records older than the retention period (TESSERA_TAP_RETENTION_DAYS), in batches; taps a money movement or ' +
        'sale refers to are kept. Writes one taps.purge audit event. The platform runs this itself daily (TESSERA_TAP_PURGE_AT)',
    )
    .option('--older-than <days>', `delete taps created more than this many days ago (at least ${MIN_TAP_RETENTION_DAYS}; default TESSERA_TAP_RETENTION_DAYS)`, parseRetentionDays)
    .option('--dry-run', 'count what would be deleted and delete nothing')
    .action(async (options: { olderThan?: number; dryRun?: boolean }) => {
      const config = configOrExit();
      const olderThanDays = options.olderThan ?? config.tapRetentionDays;
      await withAuthDatabase(async (db) => {
        if (!(await hasTable(db.knex, 'taps'))) {
          process.stderr.write(`tessera: ${db.description} holds no taps table yet; run \`tessera migrate up\` first\n`);
          process.exitCode = 1;
          return;
        }
        const result = await purgeTaps(db.knex, { olderThanDays, now: new Date(), dryRun: options.dryRun ?? false, actor: cliActor() });
        const cutoff = result.cutoff.toISOString();
        const kept = `${result.keptReferenced} older tap(s) kept because a money movement or sale refers to them`;
        if (result.dryRun) {
          process.stdout.write(`Dry run: would delete ${result.deleted} tap(s) created before ${cutoff} (older than ${olderThanDays} days) on ${db.description}; ${kept}. Nothing deleted.\n`);
        } else {
          process.stdout.write(`Deleted ${result.deleted} tap(s) created before ${cutoff} (older than ${olderThanDays} days) on ${db.description}, in ${result.batches} batch(es); ${kept}.\n`);
        }
      });
    });
}
