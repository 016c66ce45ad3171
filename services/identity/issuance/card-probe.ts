import {
  DEFAULT_MANAGEMENT_KEY,
  formatGuid,
  isCardError,
  NotFoundError,
  type CardError,
  type PivClient,
} from '../../../shared/piv/index.js';
import { managementKeyFor, type CardSecrets } from './card-secrets.js';
import type { DeskManagementAlgorithm } from './issuance-progress.js';

/** The factory secrets of blank PIV stock (the YubiKey / PIV test defaults every tool assumes). */
export const FACTORY_PIN = '123456';
export const FACTORY_PUK = '12345678';

/** What the card in the desk reader turned out to be, before the database decides anything. */
export interface CardProbe {
  /** The CHUID's GUID (8-4-4-4-12), or null when the card has no CHUID. */
  readonly guid: string | null;
  /** The card accepted the factory management key: it is blank stock. */
  readonly factoryKey: boolean;
  /** The card accepted the management key of the issuance we asked about, with this algorithm. */
  readonly cardKey: DeskManagementAlgorithm | undefined;
}

/**
 * SELECT PIV, read the GUID, and try the factory management key, then (when the card is not
 * blank and an issuance is in progress for this cardholder) that issuance's own key. Mutual
 * authentication proves who holds which key without changing anything on the card, and a
 * management key has no retry counter to spend.
 */
export async function probeCard(client: PivClient, inProgress?: CardSecrets): Promise<CardProbe> {
  await client.select();
  const guid = await readGuid(client);
  const factoryKey = await tryManagementKey(client, DEFAULT_MANAGEMENT_KEY, '3DES');
  let cardKey: DeskManagementAlgorithm | undefined;
  if (!factoryKey && inProgress) cardKey = await whichCardKey(client, inProgress.managementSecret);
  return { guid, factoryKey, cardKey };
}

/** The algorithm under which the card accepts this card's key, or undefined when it accepts neither. */
export async function whichCardKey(client: PivClient, secret: Buffer): Promise<DeskManagementAlgorithm | undefined> {
  for (const algorithm of ['AES256', '3DES'] as const) {
    if (await tryManagementKey(client, managementKeyFor(secret, algorithm), algorithm === 'AES256' ? 'AES256' : '3DES')) return algorithm;
  }
  return undefined;
}

export async function readGuid(client: PivClient): Promise<string | null> {
  try {
    return formatGuid((await client.readChuid()).guid);
  } catch (error) {
    if (error instanceof NotFoundError) return null;
    throw error;
  }
}

/** Mutual authentication as a question: a key the card refuses is `false`; a card that is gone still throws. */
export async function tryManagementKey(client: PivClient, key: Uint8Array, algorithm: 'AES256' | '3DES'): Promise<boolean> {
  try {
    await client.authenticateManagementKey(key, algorithm);
    return true;
  } catch (error) {
    if (isRefusal(error)) return false;
    throw error;
  }
}

const REFUSALS = new Set<CardError['code']>([
  'ERR_CARD_MGMT_KEY_REJECTED',
  'ERR_CARD_MGMT_AUTH_MISMATCH',
  'ERR_CARD_SECURITY_STATUS',
  'ERR_CARD_WRONG_DATA',
  'ERR_CARD_KEY_NOT_FOUND',
  'ERR_CARD_UNSUPPORTED',
  'ERR_CARD_CONDITIONS_NOT_SATISFIED',
]);

function isRefusal(error: unknown): boolean {
  return isCardError(error) && REFUSALS.has(error.code);
}
