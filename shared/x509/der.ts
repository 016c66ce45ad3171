import { TesseraError } from '../errors/index.js';

/**
 * Just enough DER to slice signed structures (RFC 5280 §4.1.1: the signature covers the exact
 * DER bytes of tbsCertificate / tbsCertList) and compare names byte for byte. Everything else
 * about certificates is parsed by @peculiar/x509; this only finds boundaries.
 */
export interface DerElement {
  readonly tag: number;
  /** The whole element: tag, length and content. */
  readonly bytes: Uint8Array;
  readonly content: Uint8Array;
}

export const DER_INTEGER = 0x02;
export const DER_BIT_STRING = 0x03;
export const DER_OID = 0x06;
export const DER_SEQUENCE = 0x30;

export type DerErrorCode = 'ERR_PKI_CERT_MALFORMED' | 'ERR_PKI_CRL_MALFORMED' | 'ERR_PKI_KEY_MALFORMED';

/** Reads one element at `offset`; multi-byte tags are not used by X.509 and are refused. */
export function readDerElement(data: Uint8Array, offset: number, what: DerErrorCode): DerElement {
  const fail = (why: string) => new TesseraError(what, `DER: ${why} at offset ${offset}`);
  if (offset + 2 > data.length) throw fail('truncated element');
  const tag = data[offset]!;
  if ((tag & 0x1f) === 0x1f) throw fail('multi-byte tag');
  let length = data[offset + 1]!;
  let header = 2;
  if (length & 0x80) {
    const count = length & 0x7f;
    // DER forbids the indefinite form (0x80); 4 length bytes already allow 4 GiB.
    if (count === 0 || count > 4) throw fail('unsupported length form');
    if (offset + 2 + count > data.length) throw fail('truncated length');
    length = 0;
    for (let i = 0; i < count; i++) length = length * 256 + data[offset + 2 + i]!;
    header += count;
  }
  const end = offset + header + length;
  if (end > data.length) throw fail('content runs past the end');
  return { tag, bytes: data.subarray(offset, end), content: data.subarray(offset + header, end) };
}

/** The elements of a constructed element's content, in order. */
export function readDerChildren(element: DerElement, what: DerErrorCode): DerElement[] {
  const children: DerElement[] = [];
  let offset = 0;
  while (offset < element.content.length) {
    const child = readDerElement(element.content, offset, what);
    children.push(child);
    offset += child.bytes.length;
  }
  return children;
}

/**
 * Decodes an OBJECT IDENTIFIER's content into dotted form (X.690 §8.19). Arcs are BigInt: a
 * UUID arc under 2.25 (X.667) is 128 bits, which @peculiar/x509's own OID code mangles.
 */
export function decodeOid(content: Uint8Array): string {
  const arcs: bigint[] = [];
  let value = 0n;
  for (const byte of content) {
    value = (value << 7n) | BigInt(byte & 0x7f);
    if ((byte & 0x80) === 0) {
      arcs.push(value);
      value = 0n;
    }
  }
  const first = arcs.shift() ?? 0n;
  const top = first < 80n ? first / 40n : 2n;
  return [top, first - top * 40n, ...arcs].join('.');
}

/** Encodes a dotted OID as a complete DER element (tag 06). */
export function encodeDerOid(dotted: string): Uint8Array {
  const arcs = dotted.split('.').map((arc) => BigInt(arc));
  if (arcs.length < 2) throw new RangeError(`not an OID: ${dotted}`);
  const body: number[] = [];
  for (const arc of [arcs[0]! * 40n + arcs[1]!, ...arcs.slice(2)]) {
    const groups: number[] = [Number(arc & 0x7fn)];
    for (let rest = arc >> 7n; rest > 0n; rest >>= 7n) groups.unshift(Number(rest & 0x7fn) | 0x80);
    body.push(...groups);
  }
  return encodeDer(DER_OID, Uint8Array.from(body));
}

/** A DER element from tag and content (definite length, short or long form). */
export function encodeDer(tag: number, content: Uint8Array): Uint8Array {
  const length = content.length;
  const lengthBytes: number[] = [];
  if (length < 0x80) lengthBytes.push(length);
  else {
    for (let rest = length; rest > 0; rest = Math.floor(rest / 256)) lengthBytes.unshift(rest % 256);
    lengthBytes.unshift(0x80 | lengthBytes.length);
  }
  return Uint8Array.from([tag, ...lengthBytes, ...content]);
}

/** DER INTEGER for a non-negative value (X.690 §8.3): minimal bytes, a leading 00 if the top bit is set. */
export function encodeDerInteger(value: bigint): Uint8Array {
  if (value < 0n) throw new RangeError('encodeDerInteger takes non-negative values');
  let hex = value.toString(16);
  if (hex.length % 2) hex = `0${hex}`;
  if (parseInt(hex.slice(0, 2), 16) & 0x80) hex = `00${hex}`;
  return encodeDer(DER_INTEGER, Uint8Array.from(Buffer.from(hex, 'hex')));
}
