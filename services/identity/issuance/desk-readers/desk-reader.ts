import type { CardChannel } from '../../../../shared/card/card-channel.js';

/**
 * What the desk expects to find in the reader. Real readers ignore it (a person puts the card
 * in); the simulated stock uses it to play that person: a blank card from stock for an
 * issuance, the cardholder's own card for a PIN change or unblock.
 */
export type DeskCardIntent = { readonly kind: 'blank' } | { readonly kind: 'card'; readonly cardId: string };

/** One session with the card in a desk reader: the platform drives it APDU by APDU. */
export interface DeskSession extends CardChannel {
  readonly deskReader: string;
  /**
   * Done with the card. `handedOver` names the card just issued on it: the card leaves the desk
   * with its cardholder (the simulated stock files it under that id).
   */
  release(outcome?: { readonly handedOver?: string }): Promise<void>;
}

export interface DeskReaderInfo {
  readonly name: string;
  /** 'sim' (simulated stock), 'pcsc' (a reader on the platform host); issue 5 adds relayed readers. */
  readonly kind: string;
  /** Whether a card is in the reader, when the provider can tell. */
  readonly cardPresent?: boolean;
}

/**
 * One way of reaching desk readers. The platform holds the management keys and PUKs, so it
 * drives the card itself through a CardChannel, wherever the reader is: in process (simulated
 * stock), on the platform host (PC/SC), or at a desk PC whose reader agent relays APDUs
 * (ARCHITECTURE.md "Driving a card at a desk"; a relayed provider plugs in here).
 */
export interface DeskReaderProvider {
  readonly kind: string;
  serves(deskReader: string): boolean;
  list(): Promise<DeskReaderInfo[]>;
  /** A session with the card now in the reader; CardRemovedError when there is none. */
  open(deskReader: string, intent: DeskCardIntent): Promise<DeskSession>;
  close(): Promise<void>;
}
