import type { Command } from 'commander';
import { verifyAuditChain } from '../../../shared/audit/index.js';
import { withDatabase } from './cli-database.js';

/** Exit code when the audit chain is damaged (sysexits EX_DATAERR, as `ledger verify`). */
export const EXIT_AUDIT_DAMAGED = 65;

export function registerAuditCommands(program: Command): void {
  const audit = program.command('audit').description('the append-only, hash-chained audit log');

  audit
    .command('verify')
    .description(
      `recompute every event's hash and check every link and the chain head; exits 0 when intact, ${EXIT_AUDIT_DAMAGED} naming the first damaged row and the kind of damage`,
    )
    .action(() =>
      withDatabase(async (db) => {
        const result = await verifyAuditChain(db);
        if (result.ok) {
          process.stdout.write(`Audit chain intact on ${db.description}: ${result.events} events; head seq ${result.lastSeq}, hash ${result.lastHash}\n`);
          return;
        }
        const where = result.seq === null ? 'the chain head' : `seq ${result.seq}`;
        process.stderr.write(`Audit chain DAMAGED on ${db.description}: ${result.kind} at ${where}: ${result.message}\n`);
        process.stderr.write(`(${result.events} events before it verified)\n`);
        process.exitCode = EXIT_AUDIT_DAMAGED;
      }),
    );
}
