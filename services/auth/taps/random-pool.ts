import { randomFillSync } from 'node:crypto';

/**
 * Random bytes from the CSPRNG, drawn a block at a time and handed out once each. One
 * randomFillSync call costs about 17 µs here whatever its size up to a few KiB, and every tap
 * needs a fresh 32-byte challenge: drawing 4 KiB at once makes that cost per challenge
 * negligible. Each caller gets its own copy; nothing handed out is ever handed out again.
 */
export class RandomPool {
  readonly #block: Buffer;
  #offset: number;

  constructor(blockBytes = 4096) {
    this.#block = Buffer.alloc(blockBytes);
    this.#offset = blockBytes;
  }

  take(size: number): Buffer {
    if (size > this.#block.length) throw new RangeError(`RandomPool: ${size} bytes exceeds the block of ${this.#block.length}`);
    if (this.#offset + size > this.#block.length) {
      randomFillSync(this.#block);
      this.#offset = 0;
    }
    const bytes = Buffer.from(this.#block.subarray(this.#offset, this.#offset + size));
    this.#offset += size;
    return bytes;
  }
}
