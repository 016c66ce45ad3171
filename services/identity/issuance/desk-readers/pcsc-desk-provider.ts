import { PcscReaderProvider, type ReaderProvider } from '../../../../shared/readers/index.js';
import type { DeskCardIntent, DeskReaderInfo, DeskReaderProvider, DeskSession } from './desk-reader.js';

/** Every PC/SC reader on the platform host is a desk reader (`pcsc:*`). */
export const ANY_PCSC_READER = '*';

/**
 * Desk readers attached to the platform host through PC/SC: a real CCID reader at a one-PC
 * desk, or a vpcd slot where `tessera card serve` put a blank simulated card. The connection is
 * exclusive for the whole session, so nothing else on the host talks to the card meanwhile,
 * and reset on release, so no PIN or management-key state outlives it.
 */
export class PcscDeskProvider implements DeskReaderProvider {
  readonly kind = 'pcsc';
  readonly #names: ReadonlySet<string>;
  readonly #createProvider: () => ReaderProvider;
  #provider: ReaderProvider | undefined;

  constructor(names: readonly string[], options: { createProvider?: () => ReaderProvider } = {}) {
    this.#names = new Set(names);
    this.#createProvider = options.createProvider ?? (() => new PcscReaderProvider());
  }

  serves(deskReader: string): boolean {
    return this.#names.has(ANY_PCSC_READER) || this.#names.has(deskReader);
  }

  async list(): Promise<DeskReaderInfo[]> {
    let attached: { name: string; cardPresent: boolean }[] = [];
    try {
      attached = await this.#readers().listReaders();
    } catch {
      // PC/SC missing or stopped: list the configured names without presence.
    }
    const named = [...this.#names].filter((n) => n !== ANY_PCSC_READER);
    const visible = this.#names.has(ANY_PCSC_READER) ? attached.map((r) => r.name) : named;
    return visible.map((name) => {
      const reader = attached.find((r) => r.name === name);
      return { name, kind: this.kind, ...(reader ? { cardPresent: reader.cardPresent } : {}) };
    });
  }

  async open(deskReader: string, _intent: DeskCardIntent): Promise<DeskSession> {
    const connection = await this.#readers().connect(deskReader, { exclusive: true });
    return {
      deskReader,
      transmit: (command) => connection.transmit(command),
      // A card already pulled out has nothing left to reset.
      release: () => connection.disconnect('reset').catch(() => undefined),
    };
  }

  async close(): Promise<void> {
    const provider = this.#provider;
    this.#provider = undefined;
    await provider?.close();
  }

  #readers(): ReaderProvider {
    this.#provider ??= this.#createProvider();
    return this.#provider;
  }
}
