import type { CardChannel } from '../card/card-channel.js';
import { SW_OK } from '../apdu/index.js';
import { concatBytes, encodeTlv, type Tlv } from '../tlv/index.js';
import { hexTag, parseOneTlv, parseTlvs, valueOf } from './response-tlv.js';
import { Ins } from './constants.js';
import { CardProtocolError } from './errors.js';
import { errorForStatus } from './status-errors.js';
import { transact } from './transport.js';

/** Tags inside the dynamic authentication template 7C (SP 800-73-4 Part 2 §3.2.4, Table 7). */
export const AuthTag = {
  Template: 0x7c,
  Witness: 0x80,
  Challenge: 0x81,
  Response: 0x82,
  Exponentiation: 0x85,
} as const;

export interface AuthItem {
  readonly tag: number;
  /** Empty asks the card to produce this item. */
  readonly value: Uint8Array;
}

/**
 * GENERAL AUTHENTICATE 00 87 alg key 7C{...}; returns the raw status so callers can give 6982 its
 * meaning in context (wrong management key vs PIN not verified).
 */
export async function generalAuthenticate(
  channel: CardChannel,
  algorithm: number,
  key: number,
  items: readonly AuthItem[],
): Promise<{ readonly sw: number; readonly items: Tlv[] }> {
  const template = encodeTlv(AuthTag.Template, concatBytes(...items.map((i) => encodeTlv(i.tag, i.value))));
  const name = generalAuthenticateName(key);
  const { data, sw } = await transact(channel, { name, ins: Ins.GeneralAuthenticate, p1: algorithm, p2: key, data: template, expectData: true });
  if (sw !== SW_OK) return { sw, items: [] };
  return { sw, items: parseTlvs(parseOneTlv(data, AuthTag.Template, name), name) };
}

/** The value of `tag` in a successful GA answer, or a CardProtocolError naming what is missing. */
export function requireAuthItem(items: Tlv[], tag: number, key: number): Uint8Array {
  const value = valueOf(items, tag);
  if (value === undefined || value.length === 0) {
    throw new CardProtocolError(`${generalAuthenticateName(key)}: the answer has no ${hexTag(tag)} item`);
  }
  return value;
}

/** GA, throwing the typed error for any status but 9000. */
export async function generalAuthenticateOk(
  channel: CardChannel,
  algorithm: number,
  key: number,
  items: readonly AuthItem[],
): Promise<Tlv[]> {
  const answer = await generalAuthenticate(channel, algorithm, key, items);
  if (answer.sw !== SW_OK) throw errorForStatus(answer.sw, generalAuthenticateName(key));
  return answer.items;
}

function generalAuthenticateName(key: number): string {
  return `GENERAL AUTHENTICATE ${hexTag(key)}`;
}
