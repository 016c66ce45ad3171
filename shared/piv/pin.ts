import type { CardChannel } from '../card/card-channel.js';
import { isTriesLeft, SW_AUTH_BLOCKED, SW_OK, triesLeftOf } from '../apdu/index.js';
import { concatBytes } from '../tlv/index.js';
import { Ins, KeyReference } from './constants.js';
import { PinFormatError } from './errors.js';
import { errorForStatus } from './status-errors.js';
import { transact, transactOk } from './transport.js';

/** FIPS 201-3 §4.3: a PIN is at least 6 digits; PIV stores at most 8 bytes (Part 2 §3.2.1). */
const PIN_RULE = /^[0-9]{6,8}$/;
const PADDED_LENGTH = 8;
const PAD = 0xff;

/**
 * A PIN or PUK as the card compares it: ASCII digits padded with FF to 8 bytes (Part 2 §3.2.1).
 * Checked here, before anything is sent, so a malformed entry never spends a try.
 */
export function encodePin(secret: string, which: 'pin' | 'puk' = 'pin'): Uint8Array {
  if (!PIN_RULE.test(secret)) throw new PinFormatError(which);
  const out = new Uint8Array(PADDED_LENGTH).fill(PAD);
  out.set(Buffer.from(secret, 'ascii'));
  return out;
}

export interface PinStatus {
  /** The PIN is verified in the current session. */
  readonly verified: boolean;
  /** Tries left when not verified (from 63Cx); undefined when the card does not say. */
  readonly triesLeft: number | undefined;
  readonly blocked: boolean;
}

/** VERIFY 00 20 00 80 with the padded PIN; WrongPinError{triesLeft} or PinBlockedError on failure. */
export async function verifyPin(channel: CardChannel, pin: string): Promise<void> {
  const data = encodePin(pin, 'pin');
  await transactOk(channel, { name: 'VERIFY PIN', ins: Ins.Verify, p1: 0x00, p2: KeyReference.Pin, data }, 'pin');
}

/** VERIFY without data asks the state without spending a try (Part 2 §3.2.1). */
export async function pinStatus(channel: CardChannel): Promise<PinStatus> {
  const { sw } = await transact(channel, { name: 'VERIFY PIN status', ins: Ins.Verify, p1: 0x00, p2: KeyReference.Pin });
  if (sw === SW_OK) return { verified: true, triesLeft: undefined, blocked: false };
  if (sw === SW_AUTH_BLOCKED) return { verified: false, triesLeft: 0, blocked: true };
  if (isTriesLeft(sw)) return { verified: false, triesLeft: triesLeftOf(sw), blocked: triesLeftOf(sw) === 0 };
  throw errorForStatus(sw, 'VERIFY PIN status');
}

/** VERIFY with P1 = FF and no data resets the PIN's security status (SP 800-73-4 Part 2 §3.2.1). */
export async function resetPinStatus(channel: CardChannel): Promise<void> {
  await transactOk(channel, { name: 'VERIFY PIN reset', ins: Ins.Verify, p1: 0xff, p2: KeyReference.Pin });
}

/** CHANGE REFERENCE DATA 00 24 00 80: old and new PIN, each padded to 8 bytes. */
export async function changePin(channel: CardChannel, oldPin: string, newPin: string): Promise<void> {
  const data = concatBytes(encodePin(oldPin, 'pin'), encodePin(newPin, 'pin'));
  await transactOk(channel, { name: 'CHANGE PIN', ins: Ins.ChangeReferenceData, p1: 0x00, p2: KeyReference.Pin, data }, 'pin');
}

/** CHANGE REFERENCE DATA 00 24 00 81: old and new PUK; a wrong old PUK spends a PUK try. */
export async function changePuk(channel: CardChannel, oldPuk: string, newPuk: string): Promise<void> {
  const data = concatBytes(encodePin(oldPuk, 'puk'), encodePin(newPuk, 'puk'));
  await transactOk(channel, { name: 'CHANGE PUK', ins: Ins.ChangeReferenceData, p1: 0x00, p2: KeyReference.Puk, data }, 'puk');
}

/** RESET RETRY COUNTER 00 2C 00 80: PUK then the new PIN; resets the PIN counter (Part 2 §3.2.3). */
export async function unblockPin(channel: CardChannel, puk: string, newPin: string): Promise<void> {
  const data = concatBytes(encodePin(puk, 'puk'), encodePin(newPin, 'pin'));
  await transactOk(channel, { name: 'UNBLOCK PIN', ins: Ins.ResetRetryCounter, p1: 0x00, p2: KeyReference.Pin, data }, 'puk');
}
