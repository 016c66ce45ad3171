/**
 * Response data longer than Ne waits here for GET RESPONSE (ISO 7816-4 §7.6.1, digest §5).
 * No chunk is ever longer than 256 bytes: the vpcd in Debian fails longer R-APDUs (digest G1).
 */
import { encodeResponseApdu, swBytesRemaining, SW } from '../../shared/apdu/index.js';

export const MAX_RESPONSE_DATA = 256;

export class PendingResponse {
  private remaining: Uint8Array | null = null;

  get pending(): boolean {
    return this.remaining !== null;
  }

  clear(): void {
    this.remaining = null;
  }

  /** Answer with the first Ne bytes of `data` and keep the rest; the status word is `sw` when all fits. */
  start(data: Uint8Array, sw: number, ne: number | null): Uint8Array {
    this.remaining = null;
    const limit = Math.min(ne ?? MAX_RESPONSE_DATA, MAX_RESPONSE_DATA);
    if (data.length <= limit) return encodeResponseApdu(data, sw);
    this.remaining = data.subarray(limit);
    return encodeResponseApdu(data.subarray(0, limit), swBytesRemaining(this.remaining.length));
  }

  /** GET RESPONSE: the next chunk, or 6985 when nothing is pending. */
  next(ne: number | null): Uint8Array {
    const rest = this.remaining;
    if (rest === null) return encodeResponseApdu(new Uint8Array(0), SW.CONDITIONS_NOT_SATISFIED);
    return this.start(rest, SW.OK, ne);
  }
}
