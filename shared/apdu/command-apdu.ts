/**
 * Command APDU codec, ISO 7816-4 §5.1 (cases 1, 2, 3, 4; short and extended length fields).
 * `ne` is the decoded Le: the number of response bytes expected, 256 (short) or 65536 (extended)
 * when Le is zero, and null when Le is absent.
 */
import { ApduFormatError } from './apdu-format-error.js';

export interface CommandApdu {
  readonly cla: number;
  readonly ins: number;
  readonly p1: number;
  readonly p2: number;
  readonly data: Uint8Array;
  readonly ne: number | null;
  readonly extended: boolean;
}

export interface CommandApduFields {
  cla?: number;
  ins: number;
  p1: number;
  p2: number;
  data?: Uint8Array;
  ne?: number | null;
}

const HEADER_LENGTH = 4;
const SHORT_MAX_LC = 255;
const SHORT_MAX_NE = 256;
const EXTENDED_MAX_LC = 65535;
const EXTENDED_MAX_NE = 65536;

export function parseCommandApdu(bytes: Uint8Array): CommandApdu {
  if (bytes.length < HEADER_LENGTH) throw new ApduFormatError('ERR_APDU_TOO_SHORT', `APDU of ${bytes.length} bytes has no full header`);
  const header = { cla: bytes[0]!, ins: bytes[1]!, p1: bytes[2]!, p2: bytes[3]! };
  const body = bytes.length - HEADER_LENGTH;
  if (body === 0) return { ...header, data: new Uint8Array(0), ne: null, extended: false };
  const b4 = bytes[4]!;
  if (body === 1) return { ...header, data: new Uint8Array(0), ne: b4 === 0 ? SHORT_MAX_NE : b4, extended: false };
  if (b4 !== 0) {
    const lc = b4;
    if (body === 1 + lc) return { ...header, data: bytes.slice(5, 5 + lc), ne: null, extended: false };
    if (body === 2 + lc) {
      const le = bytes[5 + lc]!;
      return { ...header, data: bytes.slice(5, 5 + lc), ne: le === 0 ? SHORT_MAX_NE : le, extended: false };
    }
    throw new ApduFormatError('ERR_APDU_LENGTH_MISMATCH', `Lc ${lc} does not match ${body - 1} body bytes`);
  }
  // b4 = 00 with more bytes: extended length fields.
  if (body === 3) {
    const le = (bytes[5]! << 8) | bytes[6]!;
    return { ...header, data: new Uint8Array(0), ne: le === 0 ? EXTENDED_MAX_NE : le, extended: true };
  }
  if (body < 3) throw new ApduFormatError('ERR_APDU_LENGTH_MISMATCH', 'truncated extended length field');
  const lc = (bytes[5]! << 8) | bytes[6]!;
  if (lc === 0) throw new ApduFormatError('ERR_APDU_LENGTH_MISMATCH', 'extended Lc of zero');
  if (body === 3 + lc) return { ...header, data: bytes.slice(7, 7 + lc), ne: null, extended: true };
  if (body === 5 + lc) {
    const le = (bytes[7 + lc]! << 8) | bytes[8 + lc]!;
    return { ...header, data: bytes.slice(7, 7 + lc), ne: le === 0 ? EXTENDED_MAX_NE : le, extended: true };
  }
  throw new ApduFormatError('ERR_APDU_LENGTH_MISMATCH', `extended Lc ${lc} does not match ${body - 3} body bytes`);
}

/** Like parseCommandApdu, but a malformed APDU yields undefined instead of an error. */
export function tryParseCommandApdu(bytes: Uint8Array): CommandApdu | undefined {
  try {
    return parseCommandApdu(bytes);
  } catch (err) {
    if (err instanceof ApduFormatError) return undefined;
    throw err;
  }
}

/**
 * Encode with short length fields when they fit, else extended ones (or always extended when asked).
 * `ne` of 256 (short) or 65536 (extended) is written as Le = 00.
 */
export function encodeCommandApdu(fields: CommandApduFields, options: { extended?: boolean } = {}): Uint8Array {
  const data = fields.data ?? new Uint8Array(0);
  const ne = fields.ne ?? null;
  for (const [name, value] of [['cla', fields.cla ?? 0], ['ins', fields.ins], ['p1', fields.p1], ['p2', fields.p2]] as const) {
    if (!Number.isInteger(value) || value < 0 || value > 0xff) throw new ApduFormatError('ERR_APDU_FIELD_RANGE', `${name} out of range: ${value}`);
  }
  if (data.length > EXTENDED_MAX_LC) throw new ApduFormatError('ERR_APDU_FIELD_RANGE', `data of ${data.length} bytes exceeds 65535`);
  if (ne !== null && (!Number.isInteger(ne) || ne < 1 || ne > EXTENDED_MAX_NE)) throw new ApduFormatError('ERR_APDU_FIELD_RANGE', `Ne out of range: ${ne}`);
  const extended = options.extended === true || data.length > SHORT_MAX_LC || (ne !== null && ne > SHORT_MAX_NE);
  const out: number[] = [fields.cla ?? 0, fields.ins, fields.p1, fields.p2];
  if (!extended) {
    if (data.length > 0) out.push(data.length, ...data);
    if (ne !== null) out.push(ne === SHORT_MAX_NE ? 0 : ne);
    return Uint8Array.from(out);
  }
  if (data.length > 0) out.push(0, data.length >> 8, data.length & 0xff, ...data);
  if (ne !== null) {
    const le = ne === EXTENDED_MAX_NE ? 0 : ne;
    if (data.length === 0) out.push(0);
    out.push(le >> 8, le & 0xff);
  }
  return Uint8Array.from(out);
}
