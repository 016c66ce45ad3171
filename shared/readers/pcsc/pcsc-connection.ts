import { CardRemovedError } from '../../piv/errors.js';
import type { CardConnection, Disposition } from '../reader-provider.js';
import type { PcscLiteReader } from './pcsclite-types.js';
import { cardErrorFromScard } from './scard-errors.js';

/** The reader a connection runs on; `epoch` moves on each card removal the provider sees. */
export interface ReaderSession {
  readonly native: PcscLiteReader;
  epoch: number;
}

/**
 * Room for the largest response pcscd can carry (MAX_BUFFER_SIZE_EXTENDED in pcsc-lite is 65548).
 * vpcd fails a response longer than this buffer (digest §1), so never ask for less than 258.
 */
const RECEIVE_BUFFER = 65538;

/**
 * One PC/SC card handle as a CardChannel. APDUs are serialised: pcsclite runs each transmit on
 * the libuv thread pool, and two in flight on one handle would interleave on the wire.
 */
export class PcscConnection implements CardConnection {
  readonly reader: string;
  readonly atr: Uint8Array;
  readonly #session: ReaderSession;
  readonly #protocol: number;
  readonly #epoch: number;
  #open = true;
  #tail: Promise<unknown> = Promise.resolve();

  constructor(session: ReaderSession, protocol: number, atr: Uint8Array) {
    this.reader = session.native.name;
    this.atr = atr;
    this.#session = session;
    this.#protocol = protocol;
    this.#epoch = session.epoch;
  }

  /** Open and its card still in the reader since connect. */
  get holdsCard(): boolean {
    return this.#open && this.#session.epoch === this.#epoch;
  }

  transmit(command: Uint8Array): Promise<Uint8Array> {
    const result = this.#tail.then(() => this.#transmitNow(command));
    this.#tail = result.catch(() => undefined);
    return result;
  }

  async disconnect(disposition: Disposition = 'reset'): Promise<void> {
    if (!this.#open) return;
    this.#open = false;
    await this.#tail;
    const native = this.#session.native;
    // A dead handle (card gone since connect) is released by the provider's next connect or close;
    // touching the native reader here could end a newer connection.
    if (!native.connected || this.#session.epoch !== this.#epoch) return;
    const how = { leave: native.SCARD_LEAVE_CARD, reset: native.SCARD_RESET_CARD, unpower: native.SCARD_UNPOWER_CARD }[disposition];
    // After a removal the handle is already dead; releasing it may fail, which changes nothing.
    await new Promise<void>((resolve) => native.disconnect(how, () => resolve()));
  }

  #transmitNow(command: Uint8Array): Promise<Uint8Array> {
    if (!this.#open) return Promise.reject(new CardRemovedError(`The connection to "${this.reader}" is closed`));
    if (this.#session.epoch !== this.#epoch) {
      return Promise.reject(new CardRemovedError(`The card was removed from "${this.reader}"`));
    }
    return new Promise((resolve, reject) =>
      this.#session.native.transmit(Buffer.from(command), RECEIVE_BUFFER, this.#protocol, (err, response) =>
        err ? reject(cardErrorFromScard(err, this.reader)) : resolve(new Uint8Array(response)),
      ),
    );
  }
}
