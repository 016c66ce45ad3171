/** What every PIV command handler gets: the persistent store, the volatile status and the key cache. */
import { fromHex } from '../../shared/apdu/index.js';
import type { CardStore } from '../store/card-store.js';
import type { CardState } from '../store/card-state.js';
import { LoadedKeyPair } from './key-pair.js';
import { slotName } from './piv-constants.js';
import type { SecurityState } from './security-state.js';

export class PivContext {
  readonly store: CardStore;
  readonly security: SecurityState;
  private readonly keyCache = new Map<string, { pkcs8: string; key: LoadedKeyPair }>();
  private readonly objectCache = new Map<string, { hex: string; bytes: Uint8Array }>();

  constructor(store: CardStore, security: SecurityState) {
    this.store = store;
    this.security = security;
  }

  get state(): Readonly<CardState> {
    return this.store.state;
  }

  /** Apply and save a change; false when the save failed (the caller answers 6581, nothing changed). */
  persist(mutate: (draft: CardState) => void): boolean {
    try {
      this.store.update(mutate);
      return true;
    } catch {
      return false;
    }
  }

  /** A stored object as bytes; decoded once per stored value (GET DATA is the hot path). */
  objectBytes(tagKey: string): Uint8Array | undefined {
    const hex = this.store.state.objects[tagKey];
    if (hex === undefined) return undefined;
    const cached = this.objectCache.get(tagKey);
    if (cached && cached.hex === hex) return cached.bytes;
    const bytes = fromHex(hex);
    this.objectCache.set(tagKey, { hex, bytes });
    return bytes;
  }

  keyIn(keyRef: number): LoadedKeyPair | undefined {
    const name = slotName(keyRef);
    const stored = this.store.state.keys[name];
    if (!stored) return undefined;
    const cached = this.keyCache.get(name);
    if (cached && cached.pkcs8 === stored.pkcs8) return cached.key;
    const key = new LoadedKeyPair(stored);
    this.keyCache.set(name, { pkcs8: stored.pkcs8, key });
    return key;
  }
}
