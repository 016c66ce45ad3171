import type { CardChannel } from '../card/card-channel.js';
import { concatBytes } from '../tlv/index.js';
import { CardProtocolError } from './errors.js';
import { errorForStatus, type CredentialReference } from './status-errors.js';
import { bytesRemainingOf, encodeCommandApdu, isBytesRemaining, SW_OK } from '../apdu/index.js';

/** One logical command; `transact` splits it into short APDUs and joins the response. */
export interface PivCommand {
  /** Names the command in errors ("GET DATA 5FC105"). */
  readonly name: string;
  readonly cla?: number;
  readonly ins: number;
  readonly p1: number;
  readonly p2: number;
  readonly data?: Uint8Array;
  /** Expect response data: send Le = 00 (up to 256, the rest through 61xx). */
  readonly expectData?: boolean;
}

export interface PivResponse {
  readonly data: Uint8Array;
  readonly sw: number;
}

/** Short APDUs only: 255 data bytes out per block (digest §1; the vpcd of Debian has no extended APDUs). */
export const MAX_BLOCK = 255;
/** ISO 7816-4 §5.1.1: bit 5 of CLA marks a command that is not the last of a chain. */
const CLA_CHAINING = 0x10;
const INS_GET_RESPONSE = 0xc0;
/** SW1 6C: wrong Le; SW2 = the exact length to ask for (ISO 7816-4 §5.6). */
const SW1_WRONG_LE = 0x6c;
const SHORT_MAX_NE = 256;
/** Far above any PIV object (certificates stay under 3 KiB); stops a card that never ends its 61xx. */
const MAX_RESPONSE = 0x10000;

/**
 * Sends a command through command chaining when its data exceeds one short APDU, then collects
 * the response through GET RESPONSE while the card answers 61xx (ISO 7816-4 §5.3.3, §7.6.1).
 * Returns the final status word untouched; `transactOk` turns non-9000 into typed errors.
 */
export async function transact(channel: CardChannel, command: PivCommand): Promise<PivResponse> {
  const data = command.data ?? new Uint8Array(0);
  const cla = command.cla ?? 0x00;
  const header = { ins: command.ins, p1: command.p1, p2: command.p2 };
  let offset = 0;
  while (data.length - offset > MAX_BLOCK) {
    const block = data.subarray(offset, offset + MAX_BLOCK);
    const answer = await exchange(channel, encodeCommandApdu({ ...header, cla: cla | CLA_CHAINING, data: block }));
    if (answer.sw !== SW_OK) return answer;
    offset += MAX_BLOCK;
  }
  const last = { ...header, cla, data: data.subarray(offset) };
  let answer = await exchange(channel, encodeCommandApdu({ ...last, ne: command.expectData ? SHORT_MAX_NE : null }));
  if (answer.sw >> 8 === SW1_WRONG_LE) {
    answer = await exchange(channel, encodeCommandApdu({ ...last, ne: answer.sw & 0xff || SHORT_MAX_NE }));
  }
  return collectMoreData(channel, command, answer);
}

/** `transact`, and any status but 9000 becomes its typed CardError. */
export async function transactOk(
  channel: CardChannel,
  command: PivCommand,
  reference?: CredentialReference,
): Promise<Uint8Array> {
  const { data, sw } = await transact(channel, command);
  if (sw !== SW_OK) throw errorForStatus(sw, command.name, reference);
  return data;
}

async function collectMoreData(channel: CardChannel, command: PivCommand, first: PivResponse): Promise<PivResponse> {
  if (!isBytesRemaining(first.sw)) return first;
  const parts: Uint8Array[] = [first.data];
  let total = first.data.length;
  let answer = first;
  while (isBytesRemaining(answer.sw)) {
    if (total > MAX_RESPONSE) throw new CardProtocolError(`${command.name}: response exceeds ${MAX_RESPONSE} bytes`);
    const ne = bytesRemainingOf(answer.sw);
    answer = await exchange(channel, encodeCommandApdu({ ins: INS_GET_RESPONSE, p1: 0x00, p2: 0x00, ne }));
    parts.push(answer.data);
    total += answer.data.length;
  }
  return { data: concatBytes(...parts), sw: answer.sw };
}

async function exchange(channel: CardChannel, apdu: Uint8Array): Promise<PivResponse> {
  const response = await channel.transmit(apdu);
  if (response.length < 2) {
    throw new CardProtocolError(`The card answered ${response.length} bytes, fewer than a status word`);
  }
  const n = response.length;
  return { data: response.subarray(0, n - 2), sw: (response[n - 2]! << 8) | response[n - 1]! };
}
