import type { Knex } from 'knex';
import { TesseraError } from '../../../shared/errors/index.js';
import type { DeskCardIntent, DeskReaderInfo, DeskReaderProvider, DeskSession } from '../../identity/issuance/index.js';
import { findReaderByName, listReaders } from '../readers/reader-store.js';
import type { DeskRelay } from './desk-relay.js';

/** Every registered desk reader is served (put this provider last among the desk providers). */
export const ANY_DESK_READER = '*';

/**
 * Desk readers reached through their reader agents (`tessera agent --role desk`): the
 * DeskReaderProvider that issuance's DeskReaders takes beside the simulated stock and local
 * PC/SC. A desk reader is a registered reader of kind `desk`; its name is the desk reader name
 * staff pick. The platform drives the card APDU by APDU; the agent only forwards them.
 */
export class RelayedDeskProvider implements DeskReaderProvider {
  readonly kind = 'relay';
  readonly #names: ReadonlySet<string>;

  constructor(
    private readonly relay: DeskRelay,
    private readonly knex: Knex,
    options: { names?: readonly string[] } = {},
  ) {
    this.#names = new Set(options.names ?? [ANY_DESK_READER]);
  }

  serves(deskReader: string): boolean {
    return this.#names.has(ANY_DESK_READER) || this.#names.has(deskReader);
  }

  async list(): Promise<DeskReaderInfo[]> {
    const desks = await listReaders(this.knex, { kind: 'desk', status: 'active', limit: 500 });
    return desks.filter((r) => this.serves(r.name)).map((r) => ({ name: r.name, kind: this.kind }));
  }

  async open(deskReader: string, _intent: DeskCardIntent): Promise<DeskSession> {
    const reader = await findReaderByName(this.knex, deskReader);
    if (!reader || reader.status !== 'active') throw new TesseraError('ERR_READER_NOT_FOUND', `No active reader named ${deskReader}`);
    if (reader.kind !== 'desk') throw new TesseraError('ERR_RELAY_NOT_A_DESK', `${deskReader} is a ${reader.kind} reader, not a desk`);
    const channel = await this.relay.open(reader.id);
    return {
      deskReader,
      transmit: (command) => channel.transmit(command),
      release: () => channel.close(),
    };
  }

  async close(): Promise<void> {}
}
