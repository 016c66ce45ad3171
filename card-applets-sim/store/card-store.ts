/**
 * Where a card's persistent state lives. Every change goes through update(): the mutation runs on
 * a copy, the copy is saved, and only then does it become the card's state. A failed save
 * throws and leaves both the file and the in-memory state as they were.
 */
import { writeFileAtomic, nodeIo, type AtomicWriteIo } from './atomic-write.js';
import type { CardState } from './card-state.js';

export interface CardStore {
  readonly state: Readonly<CardState>;
  update(mutate: (draft: CardState) => void): void;
}

/** A card that lives only in memory (tests, the embedded demo). `failSaves` simulates a dead EEPROM. */
export class MemoryCardStore implements CardStore {
  state: Readonly<CardState>;
  failSaves = false;

  constructor(state: CardState) {
    this.state = state;
  }

  update(mutate: (draft: CardState) => void): void {
    const draft = structuredClone(this.state) as CardState;
    mutate(draft);
    if (this.failSaves) throw new Error('simulated save failure');
    this.state = draft;
  }
}

/** A card file on disk, saved atomically after every change (including PIN counters). */
export class FileCardStore implements CardStore {
  readonly path: string;
  state: Readonly<CardState>;
  private readonly io: AtomicWriteIo;

  constructor(path: string, state: CardState, io: AtomicWriteIo = nodeIo) {
    this.path = path;
    this.state = state;
    this.io = io;
  }

  update(mutate: (draft: CardState) => void): void {
    const draft = structuredClone(this.state) as CardState;
    mutate(draft);
    writeFileAtomic(this.path, serializeCardState(draft), this.io);
    this.state = draft;
  }
}

export function serializeCardState(state: Readonly<CardState>): string {
  return `${JSON.stringify(state, null, 2)}\n`;
}
