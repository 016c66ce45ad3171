import { CardRemovedError, PcscUnavailableError, ReaderError, type CardError } from '../../piv/errors.js';

/** PC/SC return codes (pcsclite.h; MS-RDPESC §2.2.8) that change what a caller should do. */
export const SCARD = {
  E_INSUFFICIENT_BUFFER: 0x80100008,
  E_UNKNOWN_READER: 0x80100009,
  E_SHARING_VIOLATION: 0x8010000b,
  E_NO_SMARTCARD: 0x8010000c,
  E_PROTO_MISMATCH: 0x8010000f,
  E_READER_UNAVAILABLE: 0x80100017,
  E_NO_SERVICE: 0x8010001d,
  E_SERVICE_STOPPED: 0x8010001e,
  E_NO_READERS_AVAILABLE: 0x8010002e,
  W_UNRESPONSIVE_CARD: 0x80100066,
  W_UNPOWERED_CARD: 0x80100067,
  W_RESET_CARD: 0x80100068,
  W_REMOVED_CARD: 0x80100069,
} as const;

export const PCSCD_INSTALL_HINT = 'install and start it: apt-get install pcscd, then run pcscd (or systemctl start pcscd)';

/** The SCARD_* code in a pcsclite error message ("SCardTransmit error: Card was removed.(0x80100069)"). */
export function scardCodeOf(err: unknown): number | undefined {
  const match = /\(0x([0-9a-f]{8})\)/i.exec(err instanceof Error ? err.message : String(err));
  return match?.[1] === undefined ? undefined : Number.parseInt(match[1], 16);
}

/**
 * A pcsclite failure as a CardError: a card that left (or was reset or powered down by another
 * application, which loses the session just the same) is CardRemovedError; a missing service is
 * PcscUnavailableError; anything else is ReaderError. The original error stays as `cause`.
 */
export function cardErrorFromScard(err: unknown, reader: string): CardError {
  const code = scardCodeOf(err);
  const text = err instanceof Error ? err.message : String(err);
  switch (code) {
    case SCARD.W_REMOVED_CARD:
    case SCARD.E_NO_SMARTCARD:
      return new CardRemovedError(`The card was removed from "${reader}"`, err);
    case SCARD.W_RESET_CARD:
      return new CardRemovedError(`The card in "${reader}" was reset by another application; the session is lost`, err);
    case SCARD.W_UNPOWERED_CARD:
      return new CardRemovedError(`The card in "${reader}" was powered down; the session is lost`, err);
    case SCARD.E_NO_SERVICE:
    case SCARD.E_SERVICE_STOPPED:
      return new PcscUnavailableError(`The PC/SC service is not running (${text}); ${PCSCD_INSTALL_HINT}`, err);
    case SCARD.E_SHARING_VIOLATION:
      return new ReaderError(`The card in "${reader}" is held exclusively by another application (${text})`, err);
    case SCARD.E_UNKNOWN_READER:
    case SCARD.E_READER_UNAVAILABLE:
      return new ReaderError(`The reader "${reader}" is gone (${text})`, err);
    default:
      return new ReaderError(`PC/SC failed on "${reader}": ${text}`, err);
  }
}
