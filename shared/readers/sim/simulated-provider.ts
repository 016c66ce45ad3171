import { CardRemovedError, ReaderNotFoundError } from '../../piv/errors.js';
import { ReaderEvents } from '../reader-events.js';
import type { CardConnection, Disposition, ReaderInfo, ReaderProvider } from '../reader-provider.js';

/**
 * What a simulated reader needs of a card: the shape of card-applets-sim's SimulatedCard,
 * named here so shared/ does not depend on that room.
 */
export interface InsertableCard {
  readonly atr: Uint8Array;
  transmit(apdu: Uint8Array): Uint8Array;
  reset(): void;
  powerOn(): void;
  powerOff(): void;
}

interface SimulatedSlot {
  card: InsertableCard | undefined;
  /** Bumped at every insertion and removal, so a connection knows its card has gone. */
  generation: number;
}

/**
 * In-process readers holding simulated cards that a test or the embedded demo inserts and
 * removes by hand, so the reader agent and tests run without pcscd. Events are emitted
 * synchronously, inside insert() and remove().
 */
export class SimulatedReaderProvider extends ReaderEvents implements ReaderProvider {
  readonly kind = 'sim' as const;
  readonly #slots = new Map<string, SimulatedSlot>();

  constructor(readers: readonly string[] = ['Tessera Simulated Reader 0']) {
    super();
    for (const name of readers) this.#slots.set(name, { card: undefined, generation: 0 });
  }

  addReader(name: string): void {
    if (this.#slots.has(name)) return;
    this.#slots.set(name, { card: undefined, generation: 0 });
    this.emit('reader-added', { reader: name });
  }

  removeReader(name: string): void {
    const slot = this.#slot(name);
    if (slot.card !== undefined) this.remove(name);
    this.#slots.delete(name);
    this.emit('reader-removed', { reader: name });
  }

  /** Put a card in the reader (a card already there is removed first). The card is powered up. */
  insert(name: string, card: InsertableCard): void {
    const slot = this.#slot(name);
    if (slot.card !== undefined) this.remove(name);
    card.powerOn();
    slot.card = card;
    slot.generation++;
    this.emit('card-present', { reader: name, atr: card.atr });
  }

  /** Take the card out: open connections fail with CardRemovedError from now on. */
  remove(name: string): InsertableCard | undefined {
    const slot = this.#slot(name);
    const card = slot.card;
    if (card === undefined) return undefined;
    card.powerOff();
    slot.card = undefined;
    slot.generation++;
    this.emit('card-removed', { reader: name });
    return card;
  }

  async listReaders(): Promise<ReaderInfo[]> {
    return [...this.#slots].map(([name, slot]) => ({ name, cardPresent: slot.card !== undefined, atr: slot.card?.atr }));
  }

  /** Already-inserted cards are announced, like a PC/SC reader reports its initial state. */
  async watch(): Promise<void> {
    for (const [reader, slot] of this.#slots) if (slot.card) this.emit('card-present', { reader, atr: slot.card.atr });
  }

  async connect(reader: string): Promise<CardConnection> {
    const slot = this.#slot(reader);
    const card = slot.card;
    if (card === undefined) throw new CardRemovedError(`No card in reader "${reader}"`);
    const generation = slot.generation;
    return new SimulatedConnection(reader, card, () => slot.card === card && slot.generation === generation);
  }

  async close(): Promise<void> {
    this.removeAllListeners();
  }

  #slot(name: string): SimulatedSlot {
    const slot = this.#slots.get(name);
    if (slot === undefined) throw new ReaderNotFoundError(name, [...this.#slots.keys()]);
    return slot;
  }
}

class SimulatedConnection implements CardConnection {
  readonly reader: string;
  readonly atr: Uint8Array;
  readonly #card: InsertableCard;
  readonly #stillInserted: () => boolean;
  #open = true;

  constructor(reader: string, card: InsertableCard, stillInserted: () => boolean) {
    this.reader = reader;
    this.atr = card.atr;
    this.#card = card;
    this.#stillInserted = stillInserted;
  }

  async transmit(command: Uint8Array): Promise<Uint8Array> {
    if (!this.#open) throw new CardRemovedError(`The connection to "${this.reader}" is closed`);
    if (!this.#stillInserted()) throw new CardRemovedError(`The card was removed from "${this.reader}"`);
    return this.#card.transmit(command);
  }

  async disconnect(disposition: Disposition = 'reset'): Promise<void> {
    if (!this.#open) return;
    this.#open = false;
    if (!this.#stillInserted()) return;
    if (disposition === 'reset') this.#card.reset();
    if (disposition === 'unpower') this.#card.powerOff();
  }
}
