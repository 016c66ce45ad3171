import { randomBytes } from 'node:crypto';
import type { SealedBox } from '../../../shared/secrets/index.js';
import { generatePuk } from './pin-rules.js';
import type { DeskManagementAlgorithm } from './issuance-progress.js';

/** Key material drawn per card: 32 random bytes; AES-256 uses them all, the 3DES fallback the first 24. */
const MANAGEMENT_SECRET_BYTES = 32;

const managementKeyPurpose = (cardId: string) => `card:${cardId}:management-key`;
const pukPurpose = (cardId: string) => `card:${cardId}:puk`;

export interface CardSecrets {
  readonly managementSecret: Buffer;
  readonly puk: string;
}

/**
 * A card's own management key and PUK, drawn before the card is touched and sealed on its row
 * (AES-256-GCM under TESSERA_KEK, purpose-bound), so a retry after any interruption knows the
 * key the card may already hold. Random per card: one card's key says nothing about another's.
 */
export function drawCardSecrets(secrets: SealedBox, cardId: string): { plain: CardSecrets; managementKeySealed: string; pukSealed: string } {
  const plain = { managementSecret: randomBytes(MANAGEMENT_SECRET_BYTES), puk: generatePuk() };
  return {
    plain,
    managementKeySealed: secrets.seal(plain.managementSecret, managementKeyPurpose(cardId)),
    pukSealed: secrets.seal(plain.puk, pukPurpose(cardId)),
  };
}

export function openCardSecrets(secrets: SealedBox, row: { id: string; management_key_sealed: string | null; puk_sealed: string | null }): CardSecrets {
  if (!row.management_key_sealed || !row.puk_sealed) throw new Error(`card ${row.id} has no sealed management key or PUK`);
  return {
    managementSecret: secrets.open(row.management_key_sealed, managementKeyPurpose(row.id)),
    puk: secrets.openText(row.puk_sealed, pukPurpose(row.id)),
  };
}

export function managementKeyFor(secret: Buffer, algorithm: DeskManagementAlgorithm): Uint8Array {
  return new Uint8Array(algorithm === 'AES256' ? secret : secret.subarray(0, 24));
}
