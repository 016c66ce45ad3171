import type { CardChannel } from '../card/card-channel.js';

/** A reader as a provider sees it right now. */
export interface ReaderInfo {
  readonly name: string;
  readonly cardPresent: boolean;
  /** The ATR of the present card, if any. */
  readonly atr: Uint8Array | undefined;
}

/** What happens at readers; every provider emits the same events. */
export interface ReaderEventMap {
  'reader-added': { readonly reader: string };
  'reader-removed': { readonly reader: string };
  'card-present': { readonly reader: string; readonly atr: Uint8Array };
  'card-removed': { readonly reader: string };
  /** The provider itself failed (PC/SC service stopped); events stop until it is restarted. */
  error: Error;
}

export type ReaderEvent = keyof ReaderEventMap;
export type ReaderListener<E extends ReaderEvent> = (payload: ReaderEventMap[E]) => void;

/** How to leave the card on disconnect (PC/SC dispositions). */
export type Disposition = 'leave' | 'reset' | 'unpower';

/**
 * A session with the card in one reader: a CardChannel plus the card's ATR and a way out.
 * After the card leaves the reader, transmit rejects with CardRemovedError, even if a card
 * is inserted again: that needs a new connection (and a new SELECT).
 */
export interface CardConnection extends CardChannel {
  readonly reader: string;
  readonly atr: Uint8Array;
  /** Default `reset`: the next session must not inherit a verified PIN or management-key state. */
  disconnect(disposition?: Disposition): Promise<void>;
}

/**
 * One kind of reader: PC/SC (real readers, or vpcd through pcscd) or in-process simulated
 * readers. `watch()` starts event delivery and resolves once the initial state is known; it
 * emits `card-present` for cards already inserted so a listener sees every card exactly once.
 */
export interface ReaderProvider {
  readonly kind: 'pcsc' | 'sim';
  listReaders(): Promise<ReaderInfo[]>;
  watch(): Promise<void>;
  connect(reader: string, options?: { exclusive?: boolean }): Promise<CardConnection>;
  /** Stop watching and release every connection and native handle. */
  close(): Promise<void>;
  on<E extends ReaderEvent>(event: E, listener: ReaderListener<E>): this;
  off<E extends ReaderEvent>(event: E, listener: ReaderListener<E>): this;
  once<E extends ReaderEvent>(event: E, listener: ReaderListener<E>): this;
}
