import type { Command } from 'commander';
import type { Knex } from 'knex';
import { TesseraError } from '../../../shared/errors/index.js';
import { READER_KINDS, toReaderView, type ReaderKind, type ReaderRecord } from '../readers/reader-record.js';
import { changeReaderStatus, createReader, findReader, findReaderByName, listReaders } from '../readers/reader-store.js';
import { cliActor, withAuthDatabase } from './auth-cli-database.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

async function readerByNameOrId(knex: Knex, nameOrId: string): Promise<ReaderRecord> {
  const reader = UUID.test(nameOrId) ? await findReader(knex, nameOrId) : await findReaderByName(knex, nameOrId);
  if (!reader) throw new TesseraError('ERR_READER_NOT_FOUND', `No reader named or numbered ${nameOrId}`);
  return reader;
}

/** `tessera reader add|list|revoke`: the reader registry from the command line (docs/reader-agent.md). */
export function registerReaderCommands(program: Command): void {
  const reader = program.command('reader').description('register, list and revoke reader devices');

  reader
    .command('add <name>')
    .description('register a reader and print its credential (shown once: install it on the reader)')
    .requiredOption('--kind <kind>', `one of ${READER_KINDS.join(', ')}`)
    .requiredOption('--site <site>', 'the site the reader is at')
    .option('--location <location>', 'where on the site', '')
    .option('--module <module>', 'the module whose purposes it asks for (none: core purposes only)')
    .option('--target <target>', 'the door, printer, till ... it stands at')
    .action((name: string, options: { kind: string; site: string; location: string; module?: string; target?: string }) => {
      if (!(READER_KINDS as readonly string[]).includes(options.kind)) {
        program.error(`--kind must be one of ${READER_KINDS.join(', ')}`);
      }
      return withAuthDatabase(async (db) => {
        const { reader: created, credential } = await db.knex.transaction((trx) =>
          createReader(trx, { name, kind: options.kind as ReaderKind, site: options.site, location: options.location, module: options.module ?? null, target: options.target ?? null }, { actor: cliActor(), now: new Date() }),
        );
        process.stdout.write(`Registered reader ${created.name} (${created.id}), ${created.kind} at ${created.site}\n`);
        process.stdout.write(`Credential (shown once; pass it to the agent as TESSERA_READER_CREDENTIAL):\n${credential}\n`);
      });
    });

  reader
    .command('list')
    .description('list readers with their status, versions and last heartbeat')
    .option('--site <site>', 'only this site')
    .option('--json', 'one JSON object per line')
    .option('--offline-after <seconds>', 'heartbeat age that counts as offline', '120')
    .action((options: { site?: string; json?: boolean; offlineAfter: string }) =>
      withAuthDatabase(async (db) => {
        const now = new Date();
        const readers = await listReaders(db.knex, { site: options.site, limit: 10_000 });
        for (const record of readers) {
          const view = toReaderView(record, now, Number(options.offlineAfter));
          if (options.json) {
            process.stdout.write(`${JSON.stringify(view)}\n`);
            continue;
          }
          const state = view.status !== 'active' ? view.status : view.online ? 'online' : 'offline';
          const flag = view.flaggedAt ? ` FLAGGED (${view.flagReason})` : '';
          process.stdout.write(
            `${view.name}\t${view.kind}\t${view.site}${view.location ? ` / ${view.location}` : ''}\t${state}\tfw ${view.firmwareVersion ?? '-'} cfg ${view.configVersion ?? '-'}\tlast heartbeat ${view.lastHeartbeatAt ?? 'never'}${flag}\n`,
          );
        }
        if (!options.json && readers.length === 0) process.stdout.write('No readers.\n');
      }),
    );

  reader
    .command('revoke <nameOrId>')
    .description('revoke a reader for good: its credential stops working on every platform process at once')
    .action((nameOrId: string) =>
      withAuthDatabase(async (db) => {
        const found = await readerByNameOrId(db.knex, nameOrId);
        const revoked = await db.knex.transaction((trx) => changeReaderStatus(trx, found.id, 'revoke', { actor: cliActor(), now: new Date() }));
        process.stdout.write(`Revoked reader ${revoked.name} (${revoked.id})\n`);
      }),
    );
}
