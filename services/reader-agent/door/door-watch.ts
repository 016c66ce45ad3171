import type { DoorSensor, LockOutput } from './door-hardware.js';

export type DoorWatchEvent = { readonly kind: 'forced' | 'held_open' | 'closed'; readonly at: Date };

/**
 * Turns the door sensor and the lock into door events: the door opening while locked is
 * `forced`; standing open longer than its held-open time after a grant is `held_open` (once);
 * shutting again is `closed`. `check(now)` is called on a timer (and by tests with a clock).
 */
export class DoorWatch {
  #openedAt: Date | undefined;
  #heldReported = false;
  #heldOpenSeconds: number;

  constructor(
    sensor: DoorSensor,
    private readonly lock: LockOutput,
    private readonly report: (event: DoorWatchEvent) => void,
    heldOpenSeconds = 30,
  ) {
    this.#heldOpenSeconds = heldOpenSeconds;
    sensor.onChange((open, at) => (open ? this.#opened(at) : this.#closed(at)));
  }

  set heldOpenSeconds(seconds: number) {
    this.#heldOpenSeconds = seconds;
  }

  check(now: Date): void {
    if (this.#openedAt && !this.#heldReported && now.getTime() - this.#openedAt.getTime() > this.#heldOpenSeconds * 1000) {
      this.#heldReported = true;
      this.report({ kind: 'held_open', at: now });
    }
  }

  #opened(at: Date): void {
    this.#openedAt = at;
    this.#heldReported = false;
    // Nobody was let in: the door was forced (or opened with a key; the operator decides).
    if (!this.lock.released) this.report({ kind: 'forced', at });
  }

  #closed(at: Date): void {
    if (!this.#openedAt) return;
    this.#openedAt = undefined;
    this.lock.lock();
    this.report({ kind: 'closed', at });
  }
}
