import { Command } from 'commander';
import { PLATFORM_VERSION } from '../version.js';
import { registerMigrateCommands } from './commands/migrate-command.js';
import { registerStartCommand } from './commands/start-command.js';
import { registerPkiCommands } from '../../identity/pki/cli/pki-commands.js';
import { registerLedgerCommands } from '../../ledger/cli/ledger-command.js';
import { registerIssueCommands } from '../../identity/issuance/cli/issue-command.js';
import { registerReaderCommands } from '../../auth/cli/reader-commands.js';
import { registerTapCommands } from '../../auth/cli/tap-commands.js';
import { registerAgentCommand } from '../../reader-agent/cli/agent-command.js';
import { registerIdentityCommands } from '../../identity/cli/index.js';
import { registerCardCommands } from '../../../card-applets-sim/index.js';
import { registerCateringCommands } from './commands/catering-command.js';
import { registerBudgetsCommands } from './commands/budgets-command.js';

/**
 * The `tessera` command. Each room registers its own subcommands here (card, staff, audit,
 * ledger, agent, issue ...), so this file only lists them.
 */
export function buildProgram(): Command {
  const program = new Command('tessera')
    .description('Tessera smart card platform')
    .version(PLATFORM_VERSION)
    .showHelpAfterError()
    .showSuggestionAfterError();
  registerStartCommand(program);
  registerMigrateCommands(program);
  registerPkiCommands(program);
  registerLedgerCommands(program);
  registerIssueCommands(program);
  registerReaderCommands(program);
  registerTapCommands(program);
  registerAgentCommand(program);
  registerIdentityCommands(program);
  registerCardCommands(program);
  registerCateringCommands(program);
  registerBudgetsCommands(program);
  return program;
}
