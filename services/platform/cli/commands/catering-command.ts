import { InvalidArgumentError, type Command } from 'commander';
import { withDatabase } from '../../../identity/cli/cli-database.js';
import { configOrExit } from '../config-or-exit.js';
import { hasTable } from '../has-table.js';
import { settleAllFsm } from '../../../modules/catering/fsm-job.js';
import { localDate } from '../../../modules/catering/school-day.js';

/** A calendar date YYYY-MM-DD that exists (not 2026-02-30). */
export function parseDay(value: string): string {
  const date = /^\d{4}-\d{2}-\d{2}$/.test(value) ? new Date(`${value}T00:00:00Z`) : undefined;
  if (!date || Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== value) {
    throw new InvalidArgumentError('expected a calendar date YYYY-MM-DD.');
  }
  return value;
}

/**
 * `tessera catering ...`: the jobs a scheduler runs. On the embedded database (PGlite) only one
 * process may open it, so while the platform runs use POST /v1/catering/fsm/settle instead.
 */
export function registerCateringCommands(program: Command): void {
  const catering = program.command('catering').description('cashless catering in schools');

  catering
    .command('fsm-settle')
    .description(
      "the daily free school meal run: earlier days' unused allowances go back to FSM funding and the day's allowance is " +
        'credited to each eligible pupil on a school day; safe to run twice or late (run it each school morning from cron)',
    )
    .option('--date <YYYY-MM-DD>', 'the school day to settle (default: today in TESSERA_TIMEZONE); never after today', parseDay)
    .action(async (options: { date?: string }) => {
      const config = configOrExit();
      const now = new Date();
      const today = localDate(now, config.timeZone);
      if (options.date !== undefined && options.date > today) {
        process.stderr.write(`tessera: --date ${options.date} is after today (${today} in ${config.timeZone}): an allowance is never credited in advance\n`);
        process.exitCode = 1;
        return;
      }
      await withDatabase(async (db) => {
        if (!(await hasTable(db.knex, 'catering_pupils'))) {
          process.stderr.write(`tessera: ${db.description} holds no catering tables yet; run \`tessera migrate up\` first\n`);
          process.exitCode = 1;
          return;
        }
        const { day, pupils } = await settleAllFsm(db.knex, now, config.timeZone, { day: options.date ?? today });
        process.stdout.write(`Free school meals settled for ${day} (${config.timeZone}): ${pupils} pupil(s) on ${db.description}.\n`);
      });
    });
}
