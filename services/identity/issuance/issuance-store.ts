import type { Knex } from 'knex';
import { TesseraError } from '../../../shared/errors/index.js';
import type { CardKind } from '../cards/index.js';
import { parseProgress, type IssuanceProgress } from './issuance-progress.js';

type Queryable = Knex | Knex.Transaction;

/** A cards row as issuance reads it. */
export interface CardRow {
  id: string;
  cardholder_id: string;
  kind: CardKind;
  status: string;
  algorithm: 'rsa2048' | 'p256';
  expires_at: Date | string;
  suspended_until: Date | string | null;
  replaces_card_id: string | null;
  card_guid: string | null;
  desk_reader: string | null;
  issuance: unknown;
  management_key_sealed: string | null;
  puk_sealed: string | null;
  revocation_reason: string | null;
  created_at: Date | string;
  status_changed_at: Date | string;
  [column: string]: unknown;
}

export async function findCardRow(q: Queryable, cardId: string, options: { forUpdate?: boolean } = {}): Promise<CardRow | undefined> {
  const query = q('cards').where({ id: cardId }).first();
  if (options.forUpdate) query.forUpdate();
  return (await query) as CardRow | undefined;
}

export async function getCardRow(q: Queryable, cardId: string, options: { forUpdate?: boolean } = {}): Promise<CardRow> {
  const row = await findCardRow(q, cardId, options);
  if (!row) throw new TesseraError('ERR_CARD_RECORD_NOT_FOUND', `No card ${cardId}`);
  return row;
}

/** The cardholder's issuance in progress of this kind, if any (at most one: a unique index). */
export async function findIssuingRow(q: Queryable, cardholderId: string, kind: CardKind): Promise<CardRow | undefined> {
  return (await q('cards').where({ cardholder_id: cardholderId, kind, status: 'issuing' }).first()) as CardRow | undefined;
}

/** An issuing card whose blank GUID or new GUID is this one: a half-issued card put back in a reader. */
export async function findIssuingRowByGuid(q: Queryable, guid: string): Promise<CardRow | undefined> {
  return (await q('cards')
    .where({ status: 'issuing' })
    .andWhere((w) => w.whereRaw("issuance->>'blankGuid' = ?", [guid]).orWhere('card_guid', guid))
    .first()) as CardRow | undefined;
}

export async function findCardRowByGuid(q: Queryable, guid: string): Promise<CardRow | undefined> {
  return (await q('cards').where({ card_guid: guid }).orderBy('created_at', 'desc').first()) as CardRow | undefined;
}

export async function writeProgress(trx: Knex.Transaction, cardId: string, progress: IssuanceProgress, extra: Record<string, unknown> = {}): Promise<void> {
  await trx('cards').where({ id: cardId }).update({ issuance: JSON.stringify(progress), ...extra });
}

/**
 * Locks an issuing card and checks that this attempt still holds it: a step is recorded only by
 * the attempt that did it, so two attempts can never interleave their records.
 */
export async function lockForAttempt(trx: Knex.Transaction, cardId: string, token: string): Promise<{ row: CardRow; progress: IssuanceProgress }> {
  const row = await findCardRow(trx, cardId, { forUpdate: true });
  if (!row || row.status !== 'issuing') {
    throw new TesseraError('ERR_NOT_ISSUING', `Card ${cardId} is no longer being issued (it was completed or abandoned elsewhere)`, { cardId });
  }
  const progress = parseProgress(row.issuance);
  if (progress.lease?.token !== token) {
    throw new TesseraError('ERR_ISSUANCE_IN_PROGRESS', `Another attempt took over the issuance of card ${cardId}`, { cardId });
  }
  return { row, progress };
}

/** Ends an attempt without finishing it: the record stays `issuing` for a retry. */
export async function releaseLease(trx: Knex.Transaction, cardId: string, token: string): Promise<IssuanceProgress | undefined> {
  const row = await findCardRow(trx, cardId, { forUpdate: true });
  if (!row || row.status !== 'issuing') return undefined;
  const progress = parseProgress(row.issuance);
  if (progress.lease?.token !== token) return undefined;
  const { lease: _released, ...rest } = progress;
  await writeProgress(trx, cardId, rest);
  return rest;
}
