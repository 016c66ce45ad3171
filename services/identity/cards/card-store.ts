import type { Knex } from 'knex';
import { appendAudit, type AuditActor } from '../../../shared/audit/index.js';
import { TesseraError } from '../../../shared/errors/index.js';
import type { CardCertificateHooks } from './card-certificate-hooks.js';
import { IllegalCardTransition, LIVE_STATES, nextState, type CardAction } from './card-lifecycle.js';
import { effectiveState, toCardRecord, type CardRecord } from './card-record.js';

type Queryable = Knex | Knex.Transaction;

/** The channel every platform process listens on to drop cached card status (issue 5's tap path). */
export const CARD_STATUS_CHANNEL = 'tessera_card_status';

export async function findCard(q: Queryable, cardId: string, now: Date): Promise<CardRecord | undefined> {
  const row = await q('cards').where({ id: cardId }).first();
  return row ? toCardRecord(row, now) : undefined;
}

export async function getCard(q: Queryable, cardId: string, now: Date): Promise<CardRecord> {
  const card = await findCard(q, cardId, now);
  if (!card) throw new TesseraError('ERR_CARD_RECORD_NOT_FOUND', `No card ${cardId}`);
  return card;
}

export async function cardsOfCardholder(q: Queryable, cardholderId: string, now: Date): Promise<CardRecord[]> {
  const rows = await q('cards').where({ cardholder_id: cardholderId }).orderBy('created_at', 'desc');
  return rows.map((row) => toCardRecord(row, now));
}

export interface LifecycleChange {
  actor: AuditActor;
  now: Date;
  certificates: CardCertificateHooks;
  /** For a temporary card's day: resume by itself after this instant. */
  suspendedUntil?: Date;
  /** Extra facts for the audit row (never secrets). */
  details?: Record<string, unknown>;
}

/**
 * Applies one lifecycle action atomically: lock the row, bring its state up to date with the
 * clock, check the transition, update, change the certificates, tell every process, audit.
 * Runs inside the caller's transaction so a larger operation (replace, erase) is all or nothing.
 */
export async function applyCardAction(trx: Knex.Transaction, cardId: string, action: CardAction, change: LifecycleChange): Promise<CardRecord> {
  const row = await trx('cards').where({ id: cardId }).forUpdate().first();
  if (!row) throw new TesseraError('ERR_CARD_RECORD_NOT_FOUND', `No card ${cardId}`);
  // Expiry is what time did: it applies to the stored state, which the clock already reads as expired.
  const from = action.kind === 'expire' ? row.status : effectiveState(row, change.now);
  let to;
  try {
    to = nextState(from, action);
  } catch (error) {
    if (error instanceof IllegalCardTransition) {
      throw new TesseraError('ERR_ILLEGAL_CARD_TRANSITION', error.message, { from, action: action.kind });
    }
    throw error;
  }
  await trx('cards')
    .where({ id: cardId })
    .update({
      status: to,
      revocation_reason: action.kind === 'revoke' ? action.reason : null,
      suspended_until: action.kind === 'suspend' ? (change.suspendedUntil ?? null) : null,
      status_changed_at: change.now,
    });
  // A day-suspension that has run out ended by itself: release its hold before the new action.
  const suspensionElapsed = row.status === 'suspended' && from === 'active';
  if (suspensionElapsed || action.kind === 'resume') await change.certificates.resumed(trx, cardId, change.now);
  if (action.kind === 'revoke') await change.certificates.revoked(trx, cardId, action.reason, change.now);
  if (action.kind === 'suspend') await change.certificates.suspended(trx, cardId, change.now);
  await trx.raw('select pg_notify(?, ?)', [CARD_STATUS_CHANNEL, cardId]);
  await appendAudit(trx, {
    actor: change.actor,
    action: `card.${action.kind}`,
    subject: { kind: 'card', id: cardId },
    details: {
      cardholderId: row.cardholder_id,
      from,
      to,
      ...(action.kind === 'revoke' ? { reason: action.reason } : {}),
      ...(change.suspendedUntil ? { suspendedUntil: change.suspendedUntil.toISOString() } : {}),
      ...change.details,
    },
    at: change.now,
  });
  return toCardRecord({ ...row, status: to, revocation_reason: action.kind === 'revoke' ? action.reason : null, suspended_until: change.suspendedUntil ?? null, status_changed_at: change.now }, change.now);
}

/**
 * The cardholder's cards that still hold a slot (not revoked or expired), locked, after writing
 * down what time alone has changed: an expired card must free its slot before a new card is
 * issued, and an elapsed day-suspension must release its certificates' hold.
 */
export async function liveCardsOf(trx: Knex.Transaction, cardholderId: string, change: Omit<LifecycleChange, 'details' | 'suspendedUntil'>): Promise<CardRecord[]> {
  const rows = await trx('cards').where({ cardholder_id: cardholderId }).whereIn('status', LIVE_STATES as string[]).forUpdate();
  const live: CardRecord[] = [];
  for (const row of rows) {
    const state = effectiveState(row, change.now);
    if (state === 'expired') {
      await applyCardAction(trx, row.id, { kind: 'expire' }, change);
    } else if (state === 'active' && row.status === 'suspended') {
      await trx('cards').where({ id: row.id }).update({ status: 'active', suspended_until: null, status_changed_at: change.now });
      await change.certificates.resumed(trx, row.id, change.now);
      await appendAudit(trx, { actor: change.actor, action: 'card.resume', subject: { kind: 'card', id: row.id }, details: { cardholderId, from: 'suspended', to: 'active', automatic: true }, at: change.now });
      live.push(toCardRecord({ ...row, status: 'active', suspended_until: null }, change.now));
    } else {
      live.push(toCardRecord(row, change.now));
    }
  }
  return live;
}
