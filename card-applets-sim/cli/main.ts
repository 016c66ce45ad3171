/**
 * Standalone entry until the platform CLI wires registerCardCommands into `tessera`:
 *   npx tsx card-applets-sim/cli/main.ts card new my-card.json --provision
 */
import { Command } from 'commander';
import { registerCardCommands } from './register-card-commands.js';

const program = new Command('tessera').description('Tessera smart card platform (card simulator commands)');
registerCardCommands(program);
await program.parseAsync(process.argv);
