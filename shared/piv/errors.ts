import { TesseraError } from '../errors/index.js';
import type { CardErrorCode } from '../errors/codes/card.js';

export type { CardErrorCode } from '../errors/codes/card.js';

interface CardErrorOptions {
  /** The status word SW1SW2 the card answered, when the error comes from the card. */
  sw?: number | undefined;
  extensions?: Record<string, unknown>;
  cause?: unknown;
}

/**
 * The one base of every card-layer failure. Like pg's DatabaseError keeps the server's fields,
 * a CardError keeps the card's status word (sw1, sw2), so a caller can act on the exact answer;
 * `switch (err.code)` narrows to the subclass facts.
 */
export class CardError extends TesseraError {
  declare readonly code: CardErrorCode;
  readonly sw1: number | undefined;
  readonly sw2: number | undefined;

  constructor(code: CardErrorCode, detail?: string, options: CardErrorOptions = {}) {
    const sw = options.sw;
    const extensions = { ...(sw === undefined ? {} : { sw: swHex(sw) }), ...options.extensions };
    super(code, detail, extensions, { cause: options.cause });
    this.name = 'CardError';
    this.sw1 = sw === undefined ? undefined : sw >> 8;
    this.sw2 = sw === undefined ? undefined : sw & 0xff;
  }

  /** SW1SW2 as one number (e.g. 0x63c2), or undefined for host-side and transport errors. */
  get sw(): number | undefined {
    return this.sw1 === undefined || this.sw2 === undefined ? undefined : (this.sw1 << 8) | this.sw2;
  }
}

export function swHex(sw: number): string {
  return sw.toString(16).toUpperCase().padStart(4, '0');
}

/** 63Cx to VERIFY, CHANGE REFERENCE DATA (80): the PIN is wrong, x tries left. */
export class WrongPinError extends CardError {
  declare readonly code: 'ERR_CARD_WRONG_PIN';
  readonly triesLeft: number;
  constructor(triesLeft: number, sw: number) {
    super('ERR_CARD_WRONG_PIN', `The PIN is wrong; ${triesLeft} tries left`, { sw, extensions: { triesLeft } });
    this.name = 'WrongPinError';
    this.triesLeft = triesLeft;
  }
}

/** 6983 on the PIN reference: no tries left; the PUK unblocks it. */
export class PinBlockedError extends CardError {
  declare readonly code: 'ERR_CARD_PIN_BLOCKED';
  constructor(sw: number) {
    super('ERR_CARD_PIN_BLOCKED', 'The PIN is blocked; unblock it with the PUK', { sw, extensions: { triesLeft: 0 } });
    this.name = 'PinBlockedError';
  }
}

/** 63Cx to RESET RETRY COUNTER or CHANGE REFERENCE DATA (81): the PUK is wrong. */
export class WrongPukError extends CardError {
  declare readonly code: 'ERR_CARD_WRONG_PUK';
  readonly triesLeft: number;
  constructor(triesLeft: number, sw: number) {
    super('ERR_CARD_WRONG_PUK', `The PUK is wrong; ${triesLeft} tries left`, { sw, extensions: { triesLeft } });
    this.name = 'WrongPukError';
    this.triesLeft = triesLeft;
  }
}

/** 6983 on the PUK reference: the card can no longer be unblocked by PUK. */
export class PukBlockedError extends CardError {
  declare readonly code: 'ERR_CARD_PUK_BLOCKED';
  constructor(sw: number) {
    super('ERR_CARD_PUK_BLOCKED', 'The PUK is blocked', { sw, extensions: { triesLeft: 0 } });
    this.name = 'PukBlockedError';
  }
}

/** Host-side check before anything is sent: a PIN or PUK must be 6 to 8 ASCII digits. */
export class PinFormatError extends CardError {
  declare readonly code: 'ERR_CARD_PIN_FORMAT';
  readonly which: 'pin' | 'puk';
  constructor(which: 'pin' | 'puk') {
    super('ERR_CARD_PIN_FORMAT', `A ${which.toUpperCase()} must be 6 to 8 digits`, { extensions: { which } });
    this.name = 'PinFormatError';
    this.which = which;
  }
}

/** 6982: the command needs a PIN or management-key authentication that is not in effect. */
export class SecurityStatusNotSatisfiedError extends CardError {
  declare readonly code: 'ERR_CARD_SECURITY_STATUS';
  constructor(command: string, sw: number) {
    super('ERR_CARD_SECURITY_STATUS', `${command}: security status not satisfied (PIN or management key needed)`, { sw });
    this.name = 'SecurityStatusNotSatisfiedError';
  }
}

/** 6982 to the second step of 9B mutual authentication: the host's management key is not the card's. */
export class ManagementKeyRejectedError extends CardError {
  declare readonly code: 'ERR_CARD_MGMT_KEY_REJECTED';
  constructor(sw: number) {
    super('ERR_CARD_MGMT_KEY_REJECTED', 'The card rejected the management key', { sw });
    this.name = 'ManagementKeyRejectedError';
  }
}

/** The card accepted our witness but its answer to our challenge is wrong: it is not the card we think. */
export class ManagementAuthMismatchError extends CardError {
  declare readonly code: 'ERR_CARD_MGMT_AUTH_MISMATCH';
  constructor() {
    super('ERR_CARD_MGMT_AUTH_MISMATCH', "The card's answer to the host challenge does not match the management key");
    this.name = 'ManagementAuthMismatchError';
  }
}

/** 6A82: no such data object (or application) on the card. */
export class NotFoundError extends CardError {
  declare readonly code: 'ERR_CARD_NOT_FOUND';
  constructor(what: string, sw?: number) {
    super('ERR_CARD_NOT_FOUND', `${what}: not found on the card`, { sw });
    this.name = 'NotFoundError';
  }
}

/** 6A88: the referenced key (slot) holds no key, or no such reference. */
export class KeyNotFoundError extends CardError {
  declare readonly code: 'ERR_CARD_KEY_NOT_FOUND';
  constructor(command: string, sw: number) {
    super('ERR_CARD_KEY_NOT_FOUND', `${command}: no such key reference or the slot is empty`, { sw });
    this.name = 'KeyNotFoundError';
  }
}

/** 6A80 (bad data), 6A86 (bad P1/P2), 6700 (bad length): the card rejected what we sent. */
export class WrongDataError extends CardError {
  declare readonly code: 'ERR_CARD_WRONG_DATA';
  constructor(command: string, sw: number) {
    super('ERR_CARD_WRONG_DATA', `${command}: the card rejected the command data (SW ${swHex(sw)})`, { sw });
    this.name = 'WrongDataError';
  }
}

/** 6985: conditions of use not satisfied (e.g. GET RESPONSE with nothing pending). */
export class ConditionsNotSatisfiedError extends CardError {
  declare readonly code: 'ERR_CARD_CONDITIONS_NOT_SATISFIED';
  constructor(command: string, sw: number) {
    super('ERR_CARD_CONDITIONS_NOT_SATISFIED', `${command}: conditions of use not satisfied`, { sw });
    this.name = 'ConditionsNotSatisfiedError';
  }
}

/** 6D00 / 6E00 / 6A81: the card does not know this instruction, class or function. */
export class UnsupportedCommandError extends CardError {
  declare readonly code: 'ERR_CARD_UNSUPPORTED';
  constructor(command: string, sw: number) {
    super('ERR_CARD_UNSUPPORTED', `${command}: not supported by the card (SW ${swHex(sw)})`, { sw });
    this.name = 'UnsupportedCommandError';
  }
}

/** The card's answer breaks the protocol: malformed TLV, a chaining error (6883), a short response. */
export class CardProtocolError extends CardError {
  declare readonly code: 'ERR_CARD_PROTOCOL';
  constructor(detail: string, sw?: number) {
    super('ERR_CARD_PROTOCOL', detail, { sw });
    this.name = 'CardProtocolError';
  }
}

/** Any status word this client has no meaning for. */
export class UnexpectedStatusError extends CardError {
  declare readonly code: 'ERR_CARD_STATUS';
  constructor(command: string, sw: number) {
    super('ERR_CARD_STATUS', `${command}: unexpected status word ${swHex(sw)}`, { sw });
    this.name = 'UnexpectedStatusError';
  }
}

/** Transport: the card left the reader (or was reset by someone else) during or before the exchange. */
export class CardRemovedError extends CardError {
  declare readonly code: 'ERR_CARD_REMOVED';
  constructor(detail = 'The card was removed from the reader', cause?: unknown) {
    super('ERR_CARD_REMOVED', detail, { cause });
    this.name = 'CardRemovedError';
  }
}

/** Transport: the reader or the PC/SC service failed. */
export class ReaderError extends CardError {
  declare readonly code: 'ERR_CARD_READER';
  constructor(detail: string, cause?: unknown) {
    super('ERR_CARD_READER', detail, { cause });
    this.name = 'ReaderError';
  }
}

/** No reader by that name is attached. */
export class ReaderNotFoundError extends CardError {
  declare readonly code: 'ERR_CARD_READER_NOT_FOUND';
  readonly reader: string;
  constructor(reader: string, known: readonly string[]) {
    const list = known.length === 0 ? 'no readers are attached' : `attached: ${known.map((r) => `"${r}"`).join(', ')}`;
    super('ERR_CARD_READER_NOT_FOUND', `No reader named "${reader}" (${list})`, { extensions: { reader } });
    this.name = 'ReaderNotFoundError';
    this.reader = reader;
  }
}

/** The native pcsclite binding or the PC/SC service cannot be used; the message says what to install. */
export class PcscUnavailableError extends CardError {
  declare readonly code: 'ERR_CARD_PCSC_UNAVAILABLE';
  constructor(detail: string, cause?: unknown) {
    super('ERR_CARD_PCSC_UNAVAILABLE', detail, { cause });
    this.name = 'PcscUnavailableError';
  }
}

export function isCardError(value: unknown): value is CardError {
  return value instanceof CardError;
}
