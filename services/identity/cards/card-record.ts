import type { CardState, RevocationReason } from './card-lifecycle.js';

export type CardKind = 'standard' | 'temporary';

export interface CardRecord {
  id: string;
  cardholderId: string;
  kind: CardKind;
  /** The stored state, brought up to date: a card past its expiry reads as expired, an elapsed day-suspension as active. */
  status: CardState;
  revocationReason: RevocationReason | null;
  algorithm: 'rsa2048' | 'p256';
  expiresAt: string;
  suspendedUntil: string | null;
  replacesCardId: string | null;
  cardGuid: string | null;
  deskReader: string | null;
  createdAt: string;
  statusChangedAt: string;
}

export const cardResponseSchema = {
  type: 'object',
  properties: {
    id: { type: 'string', format: 'uuid' },
    cardholderId: { type: 'string', format: 'uuid' },
    kind: { type: 'string', enum: ['standard', 'temporary'] },
    status: { type: 'string', enum: ['issuing', 'issued', 'active', 'suspended', 'revoked', 'expired'] },
    revocationReason: { type: ['string', 'null'] },
    algorithm: { type: 'string', enum: ['rsa2048', 'p256'] },
    expiresAt: { type: 'string', format: 'date-time' },
    suspendedUntil: { type: ['string', 'null'], format: 'date-time' },
    replacesCardId: { type: ['string', 'null'] },
    cardGuid: { type: ['string', 'null'] },
    deskReader: { type: ['string', 'null'] },
    createdAt: { type: 'string', format: 'date-time' },
    statusChangedAt: { type: 'string', format: 'date-time' },
  },
} as const;

/** The state a stored row is in at `now`, applying what time alone changes. */
export function effectiveState(row: { status: CardState; expires_at: Date | string; suspended_until: Date | string | null }, now: Date): CardState {
  const live = row.status === 'issued' || row.status === 'active' || row.status === 'suspended';
  if (live && new Date(row.expires_at).getTime() <= now.getTime()) return 'expired';
  if (row.status === 'suspended' && row.suspended_until && new Date(row.suspended_until).getTime() <= now.getTime()) return 'active';
  return row.status;
}

export function toCardRecord(row: Record<string, any>, now: Date): CardRecord {
  const iso = (v: unknown) => (v === null || v === undefined ? null : new Date(v as string).toISOString());
  return {
    id: row.id,
    cardholderId: row.cardholder_id,
    kind: row.kind,
    status: effectiveState(row as never, now),
    revocationReason: row.revocation_reason,
    algorithm: row.algorithm,
    expiresAt: iso(row.expires_at)!,
    suspendedUntil: iso(row.suspended_until),
    replacesCardId: row.replaces_card_id,
    cardGuid: row.card_guid,
    deskReader: row.desk_reader,
    createdAt: iso(row.created_at)!,
    statusChangedAt: iso(row.status_changed_at)!,
  };
}
