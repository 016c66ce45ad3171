import { X509Certificate } from 'node:crypto';
import type { Knex } from 'knex';

/**
 * The one place the access module reads the platform's core identity tables (cardholders,
 * cards, pki_certificates; db/migrations), read-only. The module keeps its own data against
 * cardholder ids; it needs the cards only to say whether a card is in use and, for the offline
 * allow-list, which card keys a door may accept.
 */

/** Card statuses in which a card may open a door. */
const USABLE = ['active'];

export async function cardholderExists(knex: Knex, cardholderId: string): Promise<boolean> {
  const row = await knex('cardholders').where({ id: cardholderId, status: 'active' }).first('id');
  return Boolean(row);
}

/** Whether the card is in use now (not suspended, revoked or past its expiry). */
export async function cardActive(knex: Knex, cardId: string, at: Date): Promise<boolean> {
  const row = await knex('cards').where({ id: cardId }).first('status', 'expires_at');
  return Boolean(row && USABLE.includes(row.status) && new Date(row.expires_at) > at);
}

/** One card key a door may accept offline: the card's certificate for slot 9E or 9A. */
export interface CardCredential {
  readonly cardholderId: string;
  readonly cardId: string;
  readonly slot: '9A' | '9E';
  /** SHA-256 of the certificate DER, lower-case hex (shared/x509's fingerprint). */
  readonly fingerprint: string;
  /** The certificate's public key, SubjectPublicKeyInfo DER, base64url. */
  readonly publicKey: string;
  readonly notAfter: string;
}

/** The active certificates of the cardholders' cards in use. */
export async function usableCredentials(knex: Knex, cardholderIds: readonly string[], at: Date): Promise<CardCredential[]> {
  if (cardholderIds.length === 0) return [];
  const rows = await knex('pki_certificates as c')
    .join('cards as k', 'k.id', 'c.card_id')
    .whereIn('k.cardholder_id', cardholderIds)
    .whereIn('k.status', USABLE)
    .where('k.expires_at', '>', at)
    .where('c.status', 'active')
    .where('c.not_after', '>', at)
    .select('k.cardholder_id', 'c.card_id', 'c.slot', 'c.fingerprint', 'c.certificate_der', 'c.not_after')
    .orderBy('c.fingerprint');
  return rows.map((r: any) => ({
    cardholderId: r.cardholder_id,
    cardId: r.card_id,
    slot: r.slot,
    fingerprint: r.fingerprint,
    publicKey: new X509Certificate(r.certificate_der).publicKey.export({ type: 'spki', format: 'der' }).toString('base64url'),
    notAfter: new Date(r.not_after).toISOString(),
  }));
}

/** Fingerprints of certificates revoked or on hold whose validity has not ended: a door must refuse them even if it cached them earlier. */
export async function withdrawnFingerprints(knex: Knex, cardholderIds: readonly string[], at: Date): Promise<string[]> {
  if (cardholderIds.length === 0) return [];
  const rows = await knex('pki_certificates as c')
    .join('cards as k', 'k.id', 'c.card_id')
    .whereIn('k.cardholder_id', cardholderIds)
    .where('c.not_after', '>', at)
    .where((q) => q.whereNot('c.status', 'active').orWhereNotIn('k.status', USABLE))
    .select('c.fingerprint')
    .orderBy('c.fingerprint');
  return rows.map((r: any) => r.fingerprint as string);
}
