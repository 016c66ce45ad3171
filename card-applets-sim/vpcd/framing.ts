/**
 * vpcd framing (vsmartcard doc/api.txt; digest §1): every message is a 2-byte big-endian length
 * and the payload. TCP may split a message or merge several, so the decoder reassembles.
 */
const LENGTH_BYTES = 2;
export const MAX_FRAME_PAYLOAD = 0xffff;

export function encodeFrame(payload: Uint8Array): Buffer {
  if (payload.length > MAX_FRAME_PAYLOAD) throw new RangeError(`vpcd payload of ${payload.length} bytes`);
  const frame = Buffer.allocUnsafe(LENGTH_BYTES + payload.length);
  frame.writeUInt16BE(payload.length, 0);
  frame.set(payload, LENGTH_BYTES);
  return frame;
}

export class FrameDecoder {
  private buffered: Buffer = Buffer.alloc(0);

  /** Feed received bytes; returns every payload completed by them, in order. */
  push(chunk: Uint8Array): Buffer[] {
    this.buffered = this.buffered.length === 0 ? Buffer.from(chunk) : Buffer.concat([this.buffered, chunk]);
    const frames: Buffer[] = [];
    let at = 0;
    while (this.buffered.length - at >= LENGTH_BYTES) {
      const length = this.buffered.readUInt16BE(at);
      if (this.buffered.length - at - LENGTH_BYTES < length) break;
      frames.push(Buffer.from(this.buffered.subarray(at + LENGTH_BYTES, at + LENGTH_BYTES + length)));
      at += LENGTH_BYTES + length;
    }
    this.buffered = at === this.buffered.length ? Buffer.alloc(0) : this.buffered.subarray(at);
    return frames;
  }

  /** Bytes received but not yet part of a complete frame. */
  get pendingBytes(): number {
    return this.buffered.length;
  }

  clear(): void {
    this.buffered = Buffer.alloc(0);
  }
}
