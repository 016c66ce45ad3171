import type { Knex } from 'knex';
import type { CrlReason } from '../../../shared/x509/index.js';
import type { CardCertificateProfile, CardSlot } from './card-profiles.js';

export type CertificateStatus = 'active' | 'on_hold' | 'revoked';

/** The reasons a card certificate can be revoked for (RFC 5280 §5.3.1, less the CA-only ones). */
export type RevocationReason = Exclude<CrlReason, 'cACompromise' | 'aACompromise' | 'removeFromCRL'>;

export const REVOCATION_REASONS: readonly RevocationReason[] = [
  'unspecified',
  'keyCompromise',
  'affiliationChanged',
  'superseded',
  'cessationOfOperation',
  'certificateHold',
  'privilegeWithdrawn',
];

/** A row of pki_certificates: what the CA issued for one card slot, and its revocation state. */
export interface IssuedCertificateRecord {
  readonly serial: string;
  readonly authorityId: string;
  readonly cardId: string;
  readonly profile: CardCertificateProfile;
  readonly slot: CardSlot;
  readonly subject: string;
  readonly cardholderRef: string;
  readonly fingerprint: string;
  readonly notBefore: Date;
  readonly notAfter: Date;
  readonly issuedAt: Date;
  readonly status: CertificateStatus;
  readonly revokedAt: Date | undefined;
  readonly revocationReason: RevocationReason | undefined;
}

const COLUMNS = [
  'serial',
  'authority_id',
  'card_id',
  'profile',
  'slot',
  'subject',
  'cardholder_ref',
  'fingerprint',
  'not_before',
  'not_after',
  'issued_at',
  'status',
  'revoked_at',
  'revocation_reason',
] as const;

type Row = Record<(typeof COLUMNS)[number], any>;

function toRecord(row: Row): IssuedCertificateRecord {
  return {
    serial: row.serial,
    authorityId: row.authority_id,
    cardId: row.card_id,
    profile: row.profile,
    slot: row.slot,
    subject: row.subject,
    cardholderRef: row.cardholder_ref,
    fingerprint: row.fingerprint,
    notBefore: new Date(row.not_before),
    notAfter: new Date(row.not_after),
    issuedAt: new Date(row.issued_at),
    status: row.status,
    revokedAt: row.revoked_at ? new Date(row.revoked_at) : undefined,
    revocationReason: row.revocation_reason ?? undefined,
  };
}

export async function insertIssuedCertificate(
  q: Knex | Knex.Transaction,
  record: Omit<IssuedCertificateRecord, 'status' | 'revokedAt' | 'revocationReason'>,
  der: Uint8Array,
): Promise<void> {
  await q('pki_certificates').insert({
    serial: record.serial,
    authority_id: record.authorityId,
    card_id: record.cardId,
    profile: record.profile,
    slot: record.slot,
    subject: record.subject,
    cardholder_ref: record.cardholderRef,
    fingerprint: record.fingerprint,
    certificate_der: Buffer.from(der),
    not_before: record.notBefore,
    not_after: record.notAfter,
    issued_at: record.issuedAt,
    status: 'active',
  });
}

export async function findIssuedCertificate(q: Knex | Knex.Transaction, serial: string): Promise<IssuedCertificateRecord | undefined> {
  const row = await q('pki_certificates').select(COLUMNS).where({ serial }).first();
  return row ? toRecord(row) : undefined;
}

export async function issuedCertificatesOfCard(q: Knex | Knex.Transaction, cardId: string): Promise<IssuedCertificateRecord[]> {
  const rows: Row[] = await q('pki_certificates').select(COLUMNS).where({ card_id: cardId }).orderBy('issued_at', 'asc');
  return rows.map(toRecord);
}

export async function certificateDer(q: Knex | Knex.Transaction, serial: string): Promise<Uint8Array | undefined> {
  const row = await q('pki_certificates').select('certificate_der').where({ serial }).first();
  return row ? new Uint8Array(row.certificate_der) : undefined;
}

export type RevocationTarget = { readonly serial: string } | { readonly cardId: string };

function whereTarget(query: Knex.QueryBuilder, target: RevocationTarget): Knex.QueryBuilder {
  return 'serial' in target ? query.where({ serial: target.serial }) : query.where({ card_id: target.cardId });
}

/**
 * Puts certificates on hold (reason certificateHold) or revokes them for good. Revocation is
 * final: a revoked certificate stays revoked with its first reason; a held one can be revoked.
 * Returns the serials whose state changed.
 */
export async function markRevoked(trx: Knex.Transaction, target: RevocationTarget, reason: RevocationReason, now: Date): Promise<string[]> {
  const fromStatuses: CertificateStatus[] = reason === 'certificateHold' ? ['active'] : ['active', 'on_hold'];
  const rows: { serial: string }[] = await whereTarget(trx('pki_certificates'), target)
    .whereIn('status', fromStatuses)
    .update({ status: reason === 'certificateHold' ? 'on_hold' : 'revoked', revoked_at: now, revocation_reason: reason }, ['serial']);
  return rows.map((r) => r.serial);
}

/** Takes held certificates off hold (the card was reactivated). Returns the serials released. */
export async function releaseHold(trx: Knex.Transaction, target: RevocationTarget): Promise<string[]> {
  const rows: { serial: string }[] = await whereTarget(trx('pki_certificates'), target)
    .where({ status: 'on_hold' })
    .update({ status: 'active', revoked_at: null, revocation_reason: null }, ['serial']);
  return rows.map((r) => r.serial);
}

/** What the next CRL lists: held and revoked certificates of the CA that have not expired yet. */
export async function crlEntriesOf(
  trx: Knex.Transaction,
  authorityId: string,
  at: Date,
): Promise<{ serial: string; revokedAt: Date; reason: RevocationReason }[]> {
  const rows: Row[] = await trx('pki_certificates')
    .select('serial', 'revoked_at', 'revocation_reason')
    .where({ authority_id: authorityId })
    .whereIn('status', ['on_hold', 'revoked'])
    // RFC 5280 §3.3: an entry may leave the CRL once the certificate has expired.
    .where('not_after', '>=', at)
    .orderBy('serial', 'asc');
  return rows.map((row) => ({ serial: row.serial, revokedAt: new Date(row.revoked_at), reason: row.revocation_reason }));
}

export async function countByStatus(q: Knex | Knex.Transaction): Promise<Record<CertificateStatus, number>> {
  const rows: { status: CertificateStatus; count: string | number }[] = await q('pki_certificates').select('status').count({ count: '*' }).groupBy('status');
  const counts: Record<CertificateStatus, number> = { active: 0, on_hold: 0, revoked: 0 };
  for (const row of rows) counts[row.status] = Number(row.count);
  return counts;
}
