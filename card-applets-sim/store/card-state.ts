/**
 * The persistent state of one simulated card: everything that survives power-off. It is a
 * simulation, so private keys live in the file (PKCS#8, base64); never use a card file for a
 * real identity. Volatile state (selection, PIN verified, mgmt-key auth) is never stored.
 */
import type { KeyAlgorithm, ManagementAlgorithm } from '../piv/piv-constants.js';

export const CARD_FILE_FORMAT = 'tessera.simulated-card/1';

export interface StoredKey {
  readonly alg: KeyAlgorithm;
  /** PKCS#8 DER, base64. */
  readonly pkcs8: string;
  /** YubiKey PIN / touch policy bytes from GENERATE (AA, AB); recorded, the slot's own rule applies. */
  readonly pinPolicy?: number;
  readonly touchPolicy?: number;
  readonly createdAt: string;
}

export interface RetryCounterState {
  /** 8-byte reference data (ASCII digits padded with FF for the PIN), hex. */
  value: string;
  triesLeft: number;
  maxTries: number;
}

export interface CardState {
  format: typeof CARD_FILE_FORMAT;
  /** Stable identifier of this card file (UUID). */
  id: string;
  /** Shown by GET SERIAL (F8) as a 32-bit number. */
  serial: number;
  /** Firmware version reported by GET VERSION (FD). */
  version: [number, number, number];
  /** Algorithm used by `--provision` and suggested for later generation. */
  defaultAlg: KeyAlgorithm;
  createdAt: string;
  pin: RetryCounterState;
  puk: RetryCounterState;
  managementKey: { alg: ManagementAlgorithm; key: string };
  /** Object tag (hex, e.g. "5FC102") -> whole object TLV (hex, e.g. "533B30…"). */
  objects: Record<string, string>;
  /** Key reference (hex, e.g. "9A") -> key pair. */
  keys: Record<string, StoredKey>;
}
