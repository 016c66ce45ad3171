import { randomBytes } from 'node:crypto';
import type { CardChannel } from '../card/card-channel.js';
import { concatBytes, encodeTlv } from '../tlv/index.js';
import { parseTlvs, valueOf } from './response-tlv.js';
import { ObjectTag } from './constants.js';
import { getData, putData } from './data-objects.js';
import { CardProtocolError } from './errors.js';

/** Card Holder Unique Identifier (SP 800-73-4 Part 1 §3.1.2, Table 9). */
export interface Chuid {
  /** Tag 30: the 25-byte FASC-N. */
  readonly fascn: Uint8Array;
  /** Tag 34: the 16-byte card GUID; OpenSC uses it as the token serial (digest §3). */
  readonly guid: Uint8Array;
  /** Tag 35: expiry as an ISO date, YYYY-MM-DD. */
  readonly expiry: string;
  /** Tag 3E: the issuer's CMS signature; empty when unsigned. */
  readonly signature: Uint8Array;
}

const TAG_FASCN = 0x30;
const TAG_GUID = 0x34;
const TAG_EXPIRY = 0x35;
const TAG_SIGNATURE = 0x3e;
const TAG_ERROR_DETECTION = 0xfe;

/** The FASC-N libykpiv writes: agency code 9999 (non-federal issuer), which makes OpenSC use the GUID as serial. */
export const NON_FEDERAL_FASCN = Uint8Array.from(Buffer.from('D4E739DA739CED39CE739D836858210842108421C84210C3EB', 'hex'));

export async function readChuid(channel: CardChannel): Promise<Chuid> {
  return decodeChuid(await getData(channel, ObjectTag.Chuid));
}

export async function writeChuid(channel: CardChannel, chuid: Chuid): Promise<void> {
  await putData(channel, ObjectTag.Chuid, encodeChuid(chuid));
}

/** A fresh unsigned CHUID with a random GUID: every card must have its own (OpenSC tells tokens apart by it). */
export function newChuid(options: { expiry?: string; fascn?: Uint8Array } = {}): Chuid {
  return {
    fascn: options.fascn ?? NON_FEDERAL_FASCN,
    guid: new Uint8Array(randomBytes(16)),
    expiry: options.expiry ?? '2030-01-01',
    signature: new Uint8Array(0),
  };
}

export function encodeChuid(chuid: Chuid): Uint8Array {
  if (chuid.fascn.length !== 25) throw new RangeError('A FASC-N is 25 bytes');
  if (chuid.guid.length !== 16) throw new RangeError('A GUID is 16 bytes');
  return concatBytes(
    encodeTlv(TAG_FASCN, chuid.fascn),
    encodeTlv(TAG_GUID, chuid.guid),
    encodeTlv(TAG_EXPIRY, Buffer.from(isoToCompact(chuid.expiry), 'ascii')),
    encodeTlv(TAG_SIGNATURE, chuid.signature),
    encodeTlv(TAG_ERROR_DETECTION, new Uint8Array(0)),
  );
}

export function decodeChuid(value: Uint8Array): Chuid {
  const items = parseTlvs(value, 'CHUID');
  const fascn = valueOf(items, TAG_FASCN);
  const guid = valueOf(items, TAG_GUID);
  const expiry = valueOf(items, TAG_EXPIRY);
  if (fascn === undefined || guid === undefined || expiry === undefined) {
    throw new CardProtocolError('CHUID: FASC-N (30), GUID (34) and expiry (35) are mandatory');
  }
  return {
    fascn: Uint8Array.from(fascn),
    guid: Uint8Array.from(guid),
    expiry: compactToIso(Buffer.from(expiry).toString('ascii')),
    signature: Uint8Array.from(valueOf(items, TAG_SIGNATURE) ?? []),
  };
}

/** The GUID as the canonical 8-4-4-4-12 hex string. */
export function formatGuid(guid: Uint8Array): string {
  const hex = Buffer.from(guid).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function isoToCompact(iso: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(iso)) throw new RangeError(`CHUID expiry "${iso}" is not YYYY-MM-DD`);
  return iso.replaceAll('-', '');
}

function compactToIso(compact: string): string {
  if (!/^\d{8}$/.test(compact)) throw new CardProtocolError(`CHUID expiry "${compact}" is not YYYYMMDD`);
  return `${compact.slice(0, 4)}-${compact.slice(4, 6)}-${compact.slice(6, 8)}`;
}
