/**
 * The door's hardware as the agent sees it: a lock output (relay) and a door-position sensor.
 * Both are simulated here; a real controller puts GPIO or OSDP output/input behind the same
 * two interfaces.
 */
export interface LockOutput {
  /** Releases the lock until `until`, then locks again. */
  release(until: Date): void;
  lock(): void;
  readonly released: boolean;
}

export interface DoorSensor {
  readonly open: boolean;
  /** Calls back whenever the door opens or closes. */
  onChange(listener: (open: boolean, at: Date) => void): void;
}

/** A lock that remembers whether it is released, and until when. */
export class SimulatedLock implements LockOutput {
  #until: Date | undefined;
  readonly #now: () => Date;
  constructor(now: () => Date = () => new Date()) {
    this.#now = now;
  }
  release(until: Date): void {
    this.#until = until;
  }
  lock(): void {
    this.#until = undefined;
  }
  get released(): boolean {
    return this.#until !== undefined && this.#now() < this.#until;
  }
}

/** A door contact driven by the test (or the demo): open() and close() are the door moving. */
export class SimulatedDoorSensor implements DoorSensor {
  #open = false;
  readonly #listeners: ((open: boolean, at: Date) => void)[] = [];
  get open(): boolean {
    return this.#open;
  }
  onChange(listener: (open: boolean, at: Date) => void): void {
    this.#listeners.push(listener);
  }
  set(open: boolean, at: Date = new Date()): void {
    if (open === this.#open) return;
    this.#open = open;
    for (const listener of this.#listeners) listener(open, at);
  }
}
