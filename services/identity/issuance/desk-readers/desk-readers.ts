import { join } from 'node:path';
import type { Config } from '../../../../shared/config/index.js';
import { TesseraError } from '../../../../shared/errors/index.js';
import { CardRemovedError, PcscUnavailableError, ReaderError, ReaderNotFoundError } from '../../../../shared/piv/index.js';
import type { DeskCardIntent, DeskReaderInfo, DeskReaderProvider, DeskSession } from './desk-reader.js';
import { PcscDeskProvider } from './pcsc-desk-provider.js';
import { SimulatedDeskStock } from './simulated-stock.js';

/** What an embedded demo platform gets when TESSERA_DESK_READERS is unset. */
export const DEMO_DESK = 'Demo desk';

/**
 * The desk readers staff may pick, by name, across providers. One session per reader at a time:
 * two requests on one reader would interleave their APDUs on one card.
 */
export class DeskReaders {
  readonly #providers: readonly DeskReaderProvider[];
  readonly #busy = new Set<string>();

  constructor(providers: readonly DeskReaderProvider[]) {
    this.#providers = providers;
  }

  /** The provider of a kind, e.g. the simulated stock for tests and the demo seeder. */
  provider<P extends DeskReaderProvider>(kind: string): P | undefined {
    return this.#providers.find((p) => p.kind === kind) as P | undefined;
  }

  async list(): Promise<DeskReaderInfo[]> {
    return (await Promise.all(this.#providers.map((p) => p.list()))).flat();
  }

  /** A session with the card in `deskReader`, with desk-level errors a desk UI can act on. */
  async open(deskReader: string, intent: DeskCardIntent): Promise<DeskSession> {
    const provider = this.#providers.find((p) => p.serves(deskReader));
    if (!provider) {
      throw new TesseraError('ERR_DESK_READER_UNKNOWN', `No desk reader "${deskReader}" is configured (TESSERA_DESK_READERS)`, { deskReader });
    }
    if (this.#busy.has(deskReader)) throw new TesseraError('ERR_DESK_READER_BUSY', `Desk reader "${deskReader}" is in use`, { deskReader });
    this.#busy.add(deskReader);
    let session: DeskSession;
    try {
      session = await provider.open(deskReader, intent);
    } catch (error) {
      this.#busy.delete(deskReader);
      throw deskError(error, deskReader);
    }
    let released = false;
    return {
      deskReader,
      transmit: (command) => session.transmit(command),
      release: async (outcome) => {
        if (released) return;
        released = true;
        try {
          await session.release(outcome);
        } finally {
          this.#busy.delete(deskReader);
        }
      },
    };
  }

  async close(): Promise<void> {
    for (const provider of this.#providers) await provider.close();
  }
}

/** Reader trouble at open, in the desk's words. Card errors during a session pass unchanged. */
export function deskError(error: unknown, deskReader: string): unknown {
  if (error instanceof CardRemovedError) {
    return new TesseraError('ERR_DESK_NO_CARD', `Put a card in desk reader "${deskReader}"`, { deskReader }, { cause: error });
  }
  if (error instanceof ReaderNotFoundError || error instanceof ReaderError || error instanceof PcscUnavailableError) {
    return new TesseraError('ERR_DESK_READER_UNAVAILABLE', `Desk reader "${deskReader}": ${error.message}`, { deskReader }, { cause: error });
  }
  return error;
}

export interface DeskReaderSpec {
  readonly kind: 'sim' | 'pcsc';
  readonly name: string;
}

/** TESSERA_DESK_READERS, e.g. "sim:Desk 1, pcsc:Virtual PCD 00 00", as a list of entries. */
export function parseDeskReaderSpecs(value: string): DeskReaderSpec[] {
  return value
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '')
    .map((entry) => {
      const colon = entry.indexOf(':');
      const kind = entry.slice(0, colon);
      const name = entry.slice(colon + 1).trim();
      if (colon < 0 || (kind !== 'sim' && kind !== 'pcsc') || name === '') {
        throw new RangeError(`"${entry}" is not a desk reader: use sim:<desk> or pcsc:<reader name>`);
      }
      return { kind, name };
    });
}

/**
 * The desk readers a platform process offers, from its configuration, plus any providers the
 * platform adds (issue 5: desk readers relayed by reader agents, which register at run time).
 */
export function deskReadersFromConfig(config: Pick<Config, 'deskReaders' | 'databaseUrl' | 'dataDir'>, additional: readonly DeskReaderProvider[] = []): DeskReaders {
  const specs = parseDeskReaderSpecs(config.deskReaders ?? (config.databaseUrl ? '' : `sim:${DEMO_DESK}`));
  const providers: DeskReaderProvider[] = [];
  const sims = specs.filter((s) => s.kind === 'sim').map((s) => s.name);
  const pcsc = specs.filter((s) => s.kind === 'pcsc').map((s) => s.name);
  if (sims.length > 0) {
    const directory = config.dataDir === ':memory:' ? undefined : join(config.dataDir, 'cards');
    providers.push(new SimulatedDeskStock(sims, { directory }));
  }
  if (pcsc.length > 0) providers.push(new PcscDeskProvider(pcsc));
  return new DeskReaders([...providers, ...additional]);
}
