import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import type { SimulatedCard } from '../../../../card-applets-sim/index.js';
import { CardRemovedError } from '../../../../shared/piv/index.js';
import type { DeskCardIntent, DeskReaderInfo, DeskReaderProvider, DeskSession } from './desk-reader.js';

type SimModule = typeof import('../../../../card-applets-sim/index.js');

interface SimulatedDesk {
  card: SimulatedCard | undefined;
  /** Bumped whenever a card goes in or out, so a session knows its card has gone. */
  generation: number;
}

export interface SimulatedStockOptions {
  /**
   * Folder for card files: blanks under `stock/`, issued cards as `<card id>.json`, so an issued
   * demo card can be served to real tools with `tessera card serve`. In memory when undefined.
   */
  readonly directory?: string | undefined;
}

/**
 * Desks with a drawer of simulated blank cards, for the embedded demo and tests. It plays the
 * person at the desk: an issuance takes a blank card from stock unless a card is already in the
 * reader (a card pulled out half way stays there, so a retry finds it again); a card handed over
 * leaves the desk; a desk operation on an issued card puts that card back in the reader.
 * Tests reach in with `insertBlank`, `insert`, `eject` and `cardIn`.
 */
export class SimulatedDeskStock implements DeskReaderProvider {
  readonly kind = 'sim';
  readonly #desks = new Map<string, SimulatedDesk>();
  readonly #issued = new Map<string, SimulatedCard>();
  readonly #directory: string | undefined;
  #sim: SimModule | undefined;

  constructor(desks: readonly string[], options: SimulatedStockOptions = {}) {
    for (const desk of desks) this.#desks.set(desk, { card: undefined, generation: 0 });
    this.#directory = options.directory;
  }

  serves(deskReader: string): boolean {
    return this.#desks.has(deskReader);
  }

  async list(): Promise<DeskReaderInfo[]> {
    return [...this.#desks].map(([name, desk]) => ({ name, kind: this.kind, cardPresent: desk.card !== undefined }));
  }

  async open(deskReader: string, intent: DeskCardIntent): Promise<DeskSession> {
    const desk = this.#desk(deskReader);
    if (!desk.card) {
      const card = intent.kind === 'blank' ? await this.newBlankCard() : await this.#issuedCard(intent.cardId);
      if (!card) throw new CardRemovedError(`No card in desk reader "${deskReader}"`);
      this.#put(desk, card);
    }
    const card = desk.card!;
    // A new session is a fresh power-up: nothing volatile (PIN verified, 9B authenticated) carries over.
    card.reset();
    const generation = desk.generation;
    const present = () => desk.card === card && desk.generation === generation;
    let open = true;
    return {
      deskReader,
      transmit: async (command) => {
        if (!open) throw new CardRemovedError(`The session with desk reader "${deskReader}" is closed`);
        if (!present()) throw new CardRemovedError(`The card was removed from desk reader "${deskReader}"`);
        return card.transmit(command);
      },
      release: async (outcome = {}) => {
        if (!open) return;
        open = false;
        if (!present()) return;
        if (outcome.handedOver) {
          this.#take(desk);
          this.#issued.set(outcome.handedOver, await this.#fileIssued(card, outcome.handedOver));
        } else if (intent.kind === 'card') {
          // The cardholder takes their card back.
          this.#take(desk);
          this.#issued.set(intent.cardId, card);
        }
      },
    };
  }

  async close(): Promise<void> {}

  /** A factory-fresh card: default PIN, PUK and management key, no keys, a random GUID. */
  async newBlankCard(): Promise<SimulatedCard> {
    const sim = await this.#module();
    if (!this.#directory) return new sim.SimulatedCard(new sim.MemoryCardStore(sim.factoryState({ alg: 'p256' })));
    const stock = join(this.#directory, 'stock');
    mkdirSync(stock, { recursive: true });
    const file = join(stock, `${randomUUID()}.json`);
    sim.createCardFile(file, { alg: 'p256' });
    return sim.SimulatedCard.fromFile(file);
  }

  /** Replace whatever is in the reader with a new blank card (a different card than before). */
  async insertBlank(deskReader: string): Promise<SimulatedCard> {
    const card = await this.newBlankCard();
    this.insert(deskReader, card);
    return card;
  }

  insert(deskReader: string, card: SimulatedCard): void {
    this.#put(this.#desk(deskReader), card);
  }

  /** Take the card out: open sessions fail with CardRemovedError from now on. */
  eject(deskReader: string): SimulatedCard | undefined {
    return this.#take(this.#desk(deskReader));
  }

  cardIn(deskReader: string): SimulatedCard | undefined {
    return this.#desk(deskReader).card;
  }

  /** A card handed over at one of these desks, by card id. */
  issuedCard(cardId: string): SimulatedCard | undefined {
    return this.#issued.get(cardId);
  }

  async #issuedCard(cardId: string): Promise<SimulatedCard | undefined> {
    const known = this.#issued.get(cardId);
    if (known) return known;
    // After a restart of the demo, its cards are still on disk.
    const file = this.#directory ? join(this.#directory, `${cardId}.json`) : undefined;
    if (!file || !existsSync(file)) return undefined;
    const card = (await this.#module()).SimulatedCard.fromFile(file);
    this.#issued.set(cardId, card);
    return card;
  }

  async #fileIssued(card: SimulatedCard, cardId: string): Promise<SimulatedCard> {
    const from = (card.store as { path?: string }).path;
    if (!this.#directory || !from) return card;
    const to = join(this.#directory, `${cardId}.json`);
    renameSync(from, to);
    return (await this.#module()).SimulatedCard.fromFile(to);
  }

  #put(desk: SimulatedDesk, card: SimulatedCard): void {
    if (desk.card) this.#take(desk);
    card.powerOn();
    desk.card = card;
    desk.generation++;
  }

  #take(desk: SimulatedDesk): SimulatedCard | undefined {
    const card = desk.card;
    if (!card) return undefined;
    card.powerOff();
    desk.card = undefined;
    desk.generation++;
    return card;
  }

  #desk(name: string): SimulatedDesk {
    const desk = this.#desks.get(name);
    if (!desk) throw new RangeError(`"${name}" is not a simulated desk (desks: ${[...this.#desks.keys()].join(', ')})`);
    return desk;
  }

  async #module(): Promise<SimModule> {
    // Loaded only when a simulated desk is used, so a production platform never loads the simulator.
    this.#sim ??= await import('../../../../card-applets-sim/index.js');
    return this.#sim;
  }
}
