/** `tessera card new|show|serve`: create, inspect and serve simulated PIV cards. */
import { Option, type Command } from 'commander';
import { CardFileError } from '../store/card-file-error.js';
import { createCardFile, loadCardFile } from '../store/card-file.js';
import { formatCardSummary, summarizeCard } from './card-summary.js';
import { serveCard } from './serve-card.js';
import type { KeyAlgorithm } from '../piv/piv-constants.js';

function fail(command: Command, err: unknown): never {
  if (err instanceof CardFileError) command.error(`error: ${err.message}`, { exitCode: 1, code: err.code });
  if (err instanceof RangeError) command.error(`error: ${err.message}`, { exitCode: 2, code: 'ERR_INVALID_ARGUMENT' });
  throw err;
}

export function registerCardCommands(program: Command): Command {
  const card = program.command('card').description('simulated PIV smart cards (one JSON file per card)');

  card
    .command('new')
    .description('create a factory-blank card file (PIN 123456, PUK 12345678, default 3DES management key)')
    .argument('<file>', 'card file to create')
    .addOption(new Option('--alg <alg>', 'default key algorithm of the card').choices(['rsa2048', 'p256']).default('rsa2048'))
    .option('--provision', 'also generate keys in 9A and 9E with self-signed certificates, so OpenSC can use the card at once')
    .option('--force', 'overwrite an existing file')
    .action(function (this: Command, file: string, opts: { alg: KeyAlgorithm; provision?: boolean; force?: boolean }) {
      try {
        const state = createCardFile(file, { alg: opts.alg, provision: opts.provision === true, overwrite: opts.force === true });
        process.stdout.write(`created card ${state.id} (serial ${state.serial}, ${opts.alg}${opts.provision ? ', provisioned 9A and 9E' : ', blank'}) in ${file}\n`);
      } catch (err) {
        fail(this, err);
      }
    });

  card
    .command('show')
    .description('summarise a card file: id, GUID, populated slots, PIN/PUK tries, management key state')
    .argument('<file>', 'card file')
    .option('--json', 'print JSON instead of text')
    .action(function (this: Command, file: string, opts: { json?: boolean }) {
      try {
        const summary = summarizeCard(loadCardFile(file));
        process.stdout.write(opts.json ? `${JSON.stringify(summary, null, 2)}\n` : `${formatCardSummary(summary)}\n`);
      } catch (err) {
        fail(this, err);
      }
    });

  card
    .command('serve')
    .description('insert the card into a vpcd reader of pcscd until SIGINT/SIGTERM (slot n listens on 35963+n)')
    .argument('<file>', 'card file; every change is saved back to it')
    .option('--vpcd <host:port>', 'vpcd address', '127.0.0.1:35963')
    .action(async function (this: Command, file: string, opts: { vpcd: string }) {
      try {
        await serveCard(file, opts.vpcd, (line) => process.stderr.write(`${line}\n`));
      } catch (err) {
        fail(this, err);
      }
    });

  return card;
}
