/**
 * One simulated card as an in-process transport: ATR, power control and a synchronous transmit
 * that answers every byte string with a response APDU (data + SW1 SW2), never an exception.
 */
import type { CardChannel } from '../shared/card/card-channel.js';
import { CardRuntime } from './runtime/card-runtime.js';
import { PIV_ATR } from './runtime/atr.js';
import { PivApplet } from './piv/piv-applet.js';
import { MemoryCardStore, type CardStore } from './store/card-store.js';
import { factoryState } from './store/factory-defaults.js';
import { provisionCard } from './store/provision.js';
import type { KeyAlgorithm } from './piv/piv-constants.js';
import { openCardStore } from './store/card-file.js';

export class SimulatedCard {
  readonly atr: Uint8Array = PIV_ATR;
  readonly store: CardStore;
  private readonly runtime: CardRuntime;
  private powered = false;

  constructor(store: CardStore) {
    this.store = store;
    this.runtime = new CardRuntime([new PivApplet(store)]);
    this.powerOn();
  }

  /** Open a card file; every state change is saved back to it atomically. */
  static fromFile(path: string): SimulatedCard {
    return new SimulatedCard(openCardStore(path));
  }

  /** A card that lives only in memory: factory-blank, or provisioned with 9A/9E keys and certificates. */
  static inMemory(options: { alg?: KeyAlgorithm; provision?: boolean } = {}): SimulatedCard {
    const state = factoryState({ alg: options.alg ?? 'rsa2048' });
    if (options.provision) provisionCard(state);
    return new SimulatedCard(new MemoryCardStore(state));
  }

  get isPowered(): boolean {
    return this.powered;
  }

  powerOn(): void {
    this.runtime.reset();
    this.powered = true;
  }

  powerOff(): void {
    this.runtime.reset();
    this.powered = false;
  }

  /** Warm reset: volatile state goes, the card stays powered. */
  reset(): void {
    this.runtime.reset();
    this.powered = true;
  }

  transmit(apdu: Uint8Array): Uint8Array {
    // A reader powers the card up for the next exchange, as PC/SC does after an idle power-down.
    if (!this.powered) this.powerOn();
    return this.runtime.transmit(apdu);
  }
}

/** The simulated card behind the host-side CardChannel seam. */
export class SimulatedCardChannel implements CardChannel {
  readonly card: SimulatedCard;

  constructor(card: SimulatedCard) {
    this.card = card;
  }

  async transmit(command: Uint8Array): Promise<Uint8Array> {
    return this.card.transmit(command);
  }
}
