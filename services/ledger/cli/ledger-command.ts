import type { Command } from 'commander';
import { openDatabase } from '../../../shared/db/index.js';
import { verifyLedger } from '../../../shared/ledger/index.js';
import { configOrExit } from '../../platform/cli/config-or-exit.js';

/** Exit code when the ledger breaks an invariant (sysexits EX_DATAERR). */
export const EXIT_LEDGER_BROKEN = 65;

export function registerLedgerCommands(program: Command): void {
  const ledger = program.command('ledger').description('the double-entry ledger');

  ledger
    .command('verify')
    .description(
      'check every invariant: each transfer balances, each stored balance equals the sum of its entries, ' +
        `no account is below its floor, each idempotency key has its transfer; exits ${EXIT_LEDGER_BROKEN} naming each problem`,
    )
    .action(async () => {
      const config = configOrExit();
      const db = openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, poolMax: 1 });
      try {
        const { rows } = await db.knex.raw("select to_regclass('ledger_transfers') is not null as present");
        if (!(rows as { present: boolean }[])[0]?.present) {
          process.stderr.write(`tessera: ${db.description} holds no ledger yet; run \`tessera migrate up\` first\n`);
          process.exitCode = 1;
          return;
        }
        const { accounts, transfers, problems } = await verifyLedger(db);
        if (problems.length === 0) {
          process.stdout.write(`Ledger verified on ${db.description}: ${accounts} accounts, ${transfers} transfers, no problems.\n`);
          return;
        }
        process.stderr.write(`Ledger on ${db.description} is NOT sound: ${problems.length} problem(s)\n`);
        for (const p of problems) process.stderr.write(`  [${p.check}] ${p.message}\n`);
        process.exitCode = EXIT_LEDGER_BROKEN;
      } catch (error) {
        process.stderr.write(`tessera: could not read the ledger on ${db.description}: ${(error as Error).message}\n`);
        process.exitCode = 1;
      } finally {
        await db.close();
      }
    });
}
