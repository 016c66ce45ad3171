import { InvalidArgumentError, type Command } from 'commander';
import { cliActor, withDatabase } from '../../../identity/cli/cli-database.js';
import { configOrExit } from '../config-or-exit.js';
import { hasTable } from '../has-table.js';
import { isUuid } from '../../../modules/budgets/budget-store.js';
import { clawBack, clawBackEnded } from '../../../modules/budgets/clawback.js';

function parseBudgetId(value: string): string {
  if (!isUuid(value)) throw new InvalidArgumentError('expected a budget id (a UUID).');
  return value.toLowerCase();
}

/**
 * `tessera budgets ...`: the period-end job a scheduler runs. Audited as the operating-system
 * user at the CLI. On the embedded database (PGlite) only one process may open it, so while the
 * platform runs use POST /v1/budgets/clawback instead.
 */
export function registerBudgetsCommands(program: Command): void {
  const budgets = program.command('budgets').description('devolved budgets (direct payments)');

  budgets
    .command('clawback')
    .description(
      'return what is left of every open budget whose period has ended (in TESSERA_TIMEZONE) to the funding account and close it, ' +
        'one transaction each; safe to run twice (run it after each period end from cron)',
    )
    .option('--budget <id>', 'claw back this one budget only (refused while its period runs)', parseBudgetId)
    .action(async (options: { budget?: string }) => {
      const config = configOrExit();
      const now = new Date();
      await withDatabase(async (db) => {
        if (!(await hasTable(db.knex, 'budgets'))) {
          process.stderr.write(`tessera: ${db.description} holds no budget tables yet; run \`tessera migrate up\` first\n`);
          process.exitCode = 1;
          return;
        }
        if (options.budget !== undefined) {
          const budget = await clawBack(db.knex, options.budget, cliActor(), now, config.timeZone);
          process.stdout.write(`Budget ${budget.id} (${budget.periodStart}..${budget.periodEnd}) is closed: ${budget.clawbackPence ?? 0} pence went back to the funding account.\n`);
          return;
        }
        const { closed, clawedBackPence } = await clawBackEnded(db.knex, cliActor(), now, config.timeZone);
        process.stdout.write(`Clawed back ${closed} ended budget(s): ${clawedBackPence} pence went back to the funding account.\n`);
      });
    });
}
