import type { CardChannel } from '../card/card-channel.js';
import { concatBytes, encodeTag, encodeTlv } from '../tlv/index.js';
import { hexTag, parseOneTlv } from './response-tlv.js';
import { Ins } from './constants.js';
import { transactOk } from './transport.js';

const TAG_LIST = 0x5c;
const TAG_DATA = 0x53;
/** Discovery (7E) and the BIT group template (7F61) are stored without the 53 wrapper (Part 2 §3.3.2). */
const UNWRAPPED = new Set([0x7e, 0x7f61]);

/**
 * GET DATA (Part 2 §3.1.2): the value inside the object's `53` TLV (or the whole 7E / 7F61 object).
 * An absent object is a NotFoundError (6A82); a PIN-protected one before VERIFY is 6982.
 */
export async function getData(channel: CardChannel, tag: number): Promise<Uint8Array> {
  const name = `GET DATA ${hexTag(tag)}`;
  const answer = await transactOk(channel, {
    name,
    ins: Ins.GetData,
    p1: 0x3f,
    p2: 0xff,
    data: encodeTlv(TAG_LIST, encodeTag(tag)),
    expectData: true,
  });
  if (UNWRAPPED.has(tag)) return parseOneTlv(answer, tag, name);
  return parseOneTlv(answer, TAG_DATA, name);
}

/**
 * PUT DATA (Part 2 §3.3.2), chained in 255-byte blocks. `value` is the content of the 53 TLV;
 * an empty value deletes the object. Needs management-key authentication (else 6982).
 */
export async function putData(channel: CardChannel, tag: number, value: Uint8Array): Promise<void> {
  const body = UNWRAPPED.has(tag)
    ? encodeTlv(tag, value)
    : concatBytes(encodeTlv(TAG_LIST, encodeTag(tag)), encodeTlv(TAG_DATA, value));
  await transactOk(channel, { name: `PUT DATA ${hexTag(tag)}`, ins: Ins.PutData, p1: 0x3f, p2: 0xff, data: body });
}
