/** Response APDU: body data followed by SW1 SW2 (ISO 7816-4 §5.1). */
import { ApduFormatError } from './apdu-format-error.js';
import { SW } from './status-words.js';

export interface ResponseApdu {
  readonly data: Uint8Array;
  readonly sw: number;
}

export function encodeResponseApdu(data: Uint8Array, sw: number): Uint8Array {
  const out = new Uint8Array(data.length + 2);
  out.set(data, 0);
  out[data.length] = (sw >> 8) & 0xff;
  out[data.length + 1] = sw & 0xff;
  return out;
}

/** A bare status word with no data. */
export function statusOnly(sw: number): Uint8Array {
  return Uint8Array.of((sw >> 8) & 0xff, sw & 0xff);
}

export function parseResponseApdu(bytes: Uint8Array): ResponseApdu {
  if (bytes.length < 2) throw new ApduFormatError('ERR_APDU_TOO_SHORT', `response of ${bytes.length} bytes has no status word`);
  const n = bytes.length;
  return { data: bytes.slice(0, n - 2), sw: (bytes[n - 2]! << 8) | bytes[n - 1]! };
}

export function isOk(response: ResponseApdu): boolean {
  return response.sw === SW.OK;
}
