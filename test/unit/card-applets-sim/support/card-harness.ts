/** Test harness: an in-memory simulated card and hex helpers to drive it APDU by APDU. */
import { createDecipheriv } from 'node:crypto';
import { fromHex, toHex, parseResponseApdu } from '../../../../shared/apdu/index.js';
import { SimulatedCard } from '../../../../card-applets-sim/simulated-card.js';
import { MemoryCardStore } from '../../../../card-applets-sim/store/card-store.js';
import { factoryState } from '../../../../card-applets-sim/store/factory-defaults.js';
import { generateStoredKey } from '../../../../card-applets-sim/piv/key-pair.js';
import { encryptBlock } from '../../../../card-applets-sim/piv/management-key.js';
import type { CardState, StoredKey } from '../../../../card-applets-sim/store/card-state.js';
import type { KeyAlgorithm } from '../../../../card-applets-sim/piv/piv-constants.js';

export const SELECT_PIV = '00A4040009A0000003080000100000';
export const PIN_123456 = '313233343536FFFF';
export const PUK_12345678 = '3132333435363738';
export const DEFAULT_MGMT_KEY = '010203040506070801020304050607080102030405060708';

export interface Reply {
  data: string;
  sw: number;
}

export interface Harness {
  card: SimulatedCard;
  store: MemoryCardStore;
  /** Send hex (spaces allowed); answer as hex data + numeric SW. */
  tx(hex: string): Reply;
  txBytes(bytes: Uint8Array): Reply;
}

const keyCache = new Map<KeyAlgorithm, StoredKey>();

/** Key pairs are slow to make (RSA), so each algorithm's is generated once per test run. */
export function testKey(alg: KeyAlgorithm): StoredKey {
  let key = keyCache.get(alg);
  if (!key) {
    key = generateStoredKey(alg);
    keyCache.set(alg, key);
  }
  return key;
}

export function newCard(customise?: (state: CardState) => void): Harness {
  const state = factoryState({ serial: 12345678 });
  customise?.(state);
  const store = new MemoryCardStore(state);
  const card = new SimulatedCard(store);
  const txBytes = (bytes: Uint8Array): Reply => {
    const { data, sw } = parseResponseApdu(card.transmit(bytes));
    return { data: toHex(data), sw };
  };
  return { card, store, txBytes, tx: (hex) => txBytes(fromHex(hex)) };
}

export function selectedCard(customise?: (state: CardState) => void): Harness {
  const harness = newCard(customise);
  const reply = harness.tx(SELECT_PIV);
  if (reply.sw !== 0x9000) throw new Error(`SELECT failed: ${reply.sw.toString(16)}`);
  return harness;
}

/** Card management key mutual authentication (libykpiv's sequence). Returns the last reply. */
export function authenticateMgmt(h: Harness, keyHex = DEFAULT_MGMT_KEY, algId = 0x03, alg: '3des' | 'aes128' = '3des'): Reply {
  const p1 = algId.toString(16).padStart(2, '0');
  const block = alg === '3des' ? 8 : 16;
  const step1 = h.tx(`0087${p1}9B047C028000`);
  if (step1.sw !== 0x9000) return step1;
  const encryptedWitness = fromHex(step1.data).subarray(4, 4 + block);
  const key = fromHex(keyHex);
  const witness = decryptBlock(alg, key, encryptedWitness);
  const challenge = new Uint8Array(block).fill(0x42);
  const l = block.toString(16).padStart(2, '0');
  const inner = `80${l}${toHex(witness)}81${l}${toHex(challenge)}`;
  const total = (inner.length / 2).toString(16).padStart(2, '0');
  const lc = (inner.length / 2 + 2).toString(16).padStart(2, '0');
  const step2 = h.tx(`0087${p1}9B${lc}7C${total}${inner}`);
  if (step2.sw === 0x9000) {
    const expected = toHex(encryptBlock(alg, key, challenge));
    if (step2.data.slice(8) !== expected) throw new Error('card answered the host challenge wrongly');
  }
  return step2;
}

export function decryptBlock(alg: '3des' | 'aes128', key: Uint8Array, block: Uint8Array): Uint8Array {
  const decipher = createDecipheriv(alg === '3des' ? 'des-ede3' : 'aes-128-ecb', key, null);
  decipher.setAutoPadding(false);
  return new Uint8Array(Buffer.concat([decipher.update(block), decipher.final()]));
}

/** Hex of an APDU with Lc computed from the data. */
export function apdu(header: string, dataHex = '', le?: string): string {
  const n = dataHex.length / 2;
  if (n === 0) return header + (le ?? '');
  if (n > 255) throw new Error('use chaining for long data');
  return header + n.toString(16).padStart(2, '0') + dataHex + (le ?? '');
}

export const SW_HEX = (sw: number): string => sw.toString(16).toUpperCase().padStart(4, '0');
