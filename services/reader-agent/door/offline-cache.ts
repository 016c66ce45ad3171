import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { JWK } from 'jose';

/** A door event waiting to be uploaded (POST /v1/access/door-events). */
export interface PendingDoorEvent {
  readonly key: string;
  readonly kind: 'granted' | 'denied' | 'held_open' | 'forced' | 'closed';
  readonly at: string;
  readonly cardholderId?: string | null;
  readonly reason?: string | null;
  readonly offline?: boolean;
}

interface CacheState {
  allowList?: string;
  keys?: { keys: JWK[] };
  pending: PendingDoorEvent[];
}

/**
 * What a door controller keeps to work without the platform: the signed allow-list as it was
 * downloaded (verified again whenever it is loaded, so a tampered file is refused), the signing
 * keys, and the events not yet uploaded. On disk when given a directory (written atomically,
 * so a power cut leaves the old file or the new one), else in memory.
 */
export class OfflineCache {
  #state: CacheState;
  readonly #file: string | undefined;

  constructor(directory?: string) {
    if (directory) {
      mkdirSync(directory, { recursive: true });
      this.#file = join(directory, 'door-cache.json');
      this.#state = readState(this.#file);
    } else {
      this.#state = { pending: [] };
    }
  }

  get allowList(): string | undefined {
    return this.#state.allowList;
  }
  get keys(): { keys: JWK[] } | undefined {
    return this.#state.keys;
  }
  get pending(): readonly PendingDoorEvent[] {
    return this.#state.pending;
  }

  storeAllowList(allowList: string, keys: { keys: JWK[] }): void {
    this.#state = { ...this.#state, allowList, keys };
    this.#save();
  }

  queue(event: PendingDoorEvent): void {
    this.#state = { ...this.#state, pending: [...this.#state.pending, event] };
    this.#save();
  }

  /** Drops the events the platform has stored. */
  uploaded(keys: readonly string[]): void {
    const done = new Set(keys);
    this.#state = { ...this.#state, pending: this.#state.pending.filter((e) => !done.has(e.key)) };
    this.#save();
  }

  #save(): void {
    if (!this.#file) return;
    const temporary = `${this.#file}.tmp`;
    writeFileSync(temporary, JSON.stringify(this.#state), { mode: 0o600 });
    renameSync(temporary, this.#file);
  }
}

function readState(file: string): CacheState {
  try {
    const state = JSON.parse(readFileSync(file, 'utf8')) as CacheState;
    return { ...state, pending: state.pending ?? [] };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { pending: [] };
    throw error;
  }
}
