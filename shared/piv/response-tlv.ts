import { decodeSingleTlv, decodeTlvSequence, findTlv, TlvError, type Tlv } from '../tlv/index.js';
import { CardProtocolError } from './errors.js';

/**
 * Decoding what a card answered: a malformed TLV there is the card breaking the protocol, so
 * the codec's TlvError becomes a CardProtocolError that names the object.
 */
export function parseTlvs(bytes: Uint8Array, what: string): Tlv[] {
  try {
    return decodeTlvSequence(bytes);
  } catch (err) {
    throw asProtocolError(err, what);
  }
}

/** The value of the one TLV that fills `bytes` exactly, which must carry `tag` (digest G6). */
export function parseOneTlv(bytes: Uint8Array, tag: number, what: string): Uint8Array {
  let tlv: Tlv;
  try {
    tlv = decodeSingleTlv(bytes);
  } catch (err) {
    throw asProtocolError(err, what);
  }
  if (tlv.tag !== tag) throw new CardProtocolError(`${what}: expected tag ${hexTag(tag)}, got ${hexTag(tlv.tag)}`);
  return tlv.value;
}

/** The value of the first TLV with `tag`, or undefined. */
export function valueOf(list: readonly Tlv[], tag: number): Uint8Array | undefined {
  return findTlv(list, tag)?.value;
}

export function hexTag(tag: number): string {
  return tag.toString(16).toUpperCase().padStart(2, '0');
}

function asProtocolError(err: unknown, what: string): unknown {
  return err instanceof TlvError ? new CardProtocolError(`${what}: ${err.message}`) : err;
}
