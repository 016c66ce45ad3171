/**
 * Factory state of a new simulated card: the PIV / YubiKey test defaults every tool assumes
 * (digest §4), a fresh random GUID in the CHUID, a CCC and the Discovery object. No keys, no
 * certificates: a blank card, unless provisioned (see provision.ts).
 */
import { randomBytes, randomInt, randomUUID } from 'node:crypto';
import { toHex } from '../../shared/apdu/index.js';
import { buildCapabilityContainer, buildChuid, buildDiscoveryObject, objectTagKey, TAG } from '../piv/data-objects.js';
import type { KeyAlgorithm } from '../piv/piv-constants.js';
import { CARD_FILE_FORMAT, type CardState } from './card-state.js';

export const FACTORY_PIN = '123456';
export const FACTORY_PUK = '12345678';
/** YKPIV_MGM_DEFAULT, 3DES (algorithm 03). */
export const FACTORY_MANAGEMENT_KEY = '010203040506070801020304050607080102030405060708';
export const FACTORY_TRIES = 3;
/** Reported by GET VERSION; major >= 5 makes libykpiv read the serial with GET SERIAL (F8). */
export const FACTORY_VERSION: [number, number, number] = [5, 4, 3];

const REFERENCE_DATA_LENGTH = 8;

/** ASCII PIN/PUK padded with FF to 8 bytes, as hex (Part 2 §2.4.3). */
export function referenceDataOf(secret: string): string {
  const bytes = new Uint8Array(REFERENCE_DATA_LENGTH).fill(0xff);
  const ascii = new TextEncoder().encode(secret);
  if (ascii.length > REFERENCE_DATA_LENGTH) throw new RangeError('PIN/PUK longer than 8 bytes');
  bytes.set(ascii);
  return toHex(bytes);
}

/** The card-unique parts of factory state: GUID in the CHUID, CCC card identifier. */
export function freshIdentityObjects(): Record<string, string> {
  return {
    [objectTagKey(TAG.CHUID)]: toHex(buildChuid(randomBytes(16))),
    [objectTagKey(TAG.CAPABILITY_CONTAINER)]: toHex(buildCapabilityContainer(randomBytes(14))),
    [objectTagKey(TAG.DISCOVERY)]: toHex(buildDiscoveryObject()),
  };
}

export interface FactoryOptions {
  alg?: KeyAlgorithm;
  id?: string;
  serial?: number;
  now?: Date;
}

export function factoryState(options: FactoryOptions = {}): CardState {
  return {
    format: CARD_FILE_FORMAT,
    id: options.id ?? randomUUID(),
    serial: options.serial ?? randomInt(1, 0x7fffffff),
    version: [...FACTORY_VERSION],
    defaultAlg: options.alg ?? 'rsa2048',
    createdAt: (options.now ?? new Date()).toISOString(),
    pin: { value: referenceDataOf(FACTORY_PIN), triesLeft: FACTORY_TRIES, maxTries: FACTORY_TRIES },
    puk: { value: referenceDataOf(FACTORY_PUK), triesLeft: FACTORY_TRIES, maxTries: FACTORY_TRIES },
    managementKey: { alg: '3des', key: FACTORY_MANAGEMENT_KEY },
    objects: freshIdentityObjects(),
    keys: {},
  };
}

/**
 * YubiKey RESET (FB): back to factory secrets, no keys or objects but a new CHUID/CCC/Discovery.
 * The card keeps its id, serial and version; a reset card gets a new GUID (a new identity).
 */
export function resetToFactory(state: CardState): void {
  const fresh = factoryState({ alg: state.defaultAlg, id: state.id, serial: state.serial });
  state.pin = fresh.pin;
  state.puk = fresh.puk;
  state.managementKey = fresh.managementKey;
  state.objects = fresh.objects;
  state.keys = {};
}
