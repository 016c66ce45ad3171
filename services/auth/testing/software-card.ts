/**
 * FOR TESTS AND BENCHMARKS ONLY: "issued cards" whose keys live in software. A row in
 * cardholders and cards, and certificates for slots 9A and 9E from the platform CA, exactly as
 * issuance leaves them; the private keys stay here so a test signs as the card would (SHA-256
 * of the tap bytes, ECDSA DER or PKCS#1 v1.5), without a card's own speed in the way.
 */
import { generateKeyPairSync, randomUUID, sign, type KeyObject } from 'node:crypto';
import type { Knex } from 'knex';
import type { PlatformPki } from '../../identity/pki/index.js';

export interface SoftwareCard {
  readonly cardId: string;
  readonly cardholderId: string;
  readonly reference: string;
  readonly givenName: string;
  readonly familyName: string;
  readonly certificates: { readonly '9A': Uint8Array; readonly '9E': Uint8Array };
  /** Signs the to-be-signed bytes with a slot's key: what the card does to SHA-256 of them. */
  sign(slot: '9A' | '9E', tbs: Uint8Array): Buffer;
}

export interface SoftwareCardOptions {
  readonly algorithm?: 'p256' | 'rsa2048';
  readonly status?: 'active' | 'issued' | 'suspended';
  readonly givenName?: string;
  readonly familyName?: string;
  readonly kind?: string;
  readonly orgUnit?: string | null;
  /** Card expiry; defaults to a year on. */
  readonly expiresAt?: Date;
  readonly cardholderId?: string;
}

let sequence = 0;

function keyPair(algorithm: 'p256' | 'rsa2048'): { publicKey: KeyObject; privateKey: KeyObject } {
  return algorithm === 'p256' ? generateKeyPairSync('ec', { namedCurve: 'P-256' }) : generateKeyPairSync('rsa', { modulusLength: 2048, publicExponent: 65537 });
}

/** Enrols a cardholder (unless one is given) and issues them an active card with software keys. */
export async function issueSoftwareCard(knex: Knex, pki: PlatformPki, options: SoftwareCardOptions = {}): Promise<SoftwareCard> {
  const algorithm = options.algorithm ?? 'p256';
  const now = new Date();
  const givenName = options.givenName ?? 'Test';
  const familyName = options.familyName ?? `Holder ${++sequence}`;
  let cardholderId = options.cardholderId;
  let reference: string;
  if (cardholderId) {
    reference = (await knex('cardholders').where({ id: cardholderId }).first('reference')).reference;
  } else {
    cardholderId = randomUUID();
    reference = `SW-${cardholderId.slice(0, 8).toUpperCase()}`;
    await knex('cardholders').insert({ id: cardholderId, reference, given_name: givenName, family_name: familyName, kind: options.kind ?? 'staff', org_unit: options.orgUnit ?? 'Libraries' });
  }
  const cardId = randomUUID();
  const expiresAt = options.expiresAt ?? new Date(now.getTime() + 365 * 86_400_000);
  await knex('cards').insert({ id: cardId, cardholder_id: cardholderId, kind: 'standard', status: options.status ?? 'active', algorithm, expires_at: expiresAt });
  const keys = { '9A': keyPair(algorithm), '9E': keyPair(algorithm) };
  const piv = await pki.issueCardCertificate({ profile: 'piv-auth', publicKey: keys['9A'].publicKey, cardId, cardholderRef: reference, notAfter: expiresAt });
  const cak = await pki.issueCardCertificate({ profile: 'card-auth', publicKey: keys['9E'].publicKey, cardId, cardholderRef: reference, notAfter: expiresAt });
  return {
    cardId,
    cardholderId,
    reference,
    givenName,
    familyName,
    certificates: { '9A': piv.der, '9E': cak.der },
    sign: (slot, tbs) => sign('sha256', tbs, keys[slot].privateKey),
  };
}
