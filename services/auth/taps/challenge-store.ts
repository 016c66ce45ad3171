import type { Knex } from 'knex';
import type { Assurance } from '../../../shared/modules/index.js';

/** A tap as the challenge left it, before or after its answer. */
export interface ChallengeRow {
  readonly id: string;
  readonly readerId: string;
  readonly purpose: string;
  readonly target: string;
  readonly challenge: Buffer;
  readonly expiresAt: Date;
  readonly consumedAt: Date | null;
}

/** What is written on the tap row when it is decided: the record of the tap. */
export interface TapRecord {
  readonly decision: 'granted' | 'denied' | null;
  readonly reason: string | null;
  readonly assurance: Assurance | null;
  readonly cardId: string | null;
  readonly cardholderId: string | null;
  readonly fingerprint: string | null;
  readonly issuer: string | null;
  readonly module: string | null;
}

export async function insertChallenge(q: Knex, row: Omit<ChallengeRow, 'consumedAt'> & { createdAt: Date }): Promise<void> {
  await q('taps').insert({
    id: row.id,
    reader_id: row.readerId,
    purpose: row.purpose,
    target: row.target,
    challenge: row.challenge,
    created_at: row.createdAt,
    expires_at: row.expiresAt,
  });
}

export async function readChallenge(q: Knex, id: string): Promise<ChallengeRow | undefined> {
  const row = await q('taps').where({ id }).first('id', 'reader_id', 'purpose', 'target', 'challenge', 'expires_at', 'consumed_at');
  if (!row) return undefined;
  return {
    id: row.id,
    readerId: row.reader_id,
    purpose: row.purpose,
    target: row.target,
    challenge: Buffer.from(row.challenge),
    expiresAt: new Date(row.expires_at),
    consumedAt: row.consumed_at ? new Date(row.consumed_at) : null,
  };
}

function recordColumns(record: TapRecord, now: Date) {
  return {
    decision: record.decision,
    reason: record.reason,
    assurance: record.assurance,
    card_id: record.cardId,
    cardholder_id: record.cardholderId,
    certificate_fingerprint: record.fingerprint,
    issuer: record.issuer,
    module: record.module,
    decided_at: record.decision ? now : null,
  };
}

/**
 * Consumes the challenge and writes what is known of the tap, in one conditional UPDATE: it
 * only matches while the challenge is unused, unexpired and bound to this reader, so of any
 * number of concurrent answers, on any number of processes, exactly one gets `true`.
 */
export async function consumeChallenge(q: Knex, tap: { id: string; readerId: string }, now: Date, record: TapRecord): Promise<boolean> {
  const updated = await q('taps')
    .where({ id: tap.id, reader_id: tap.readerId })
    .whereNull('consumed_at')
    .where('expires_at', '>', now)
    .update({ consumed_at: now, ...recordColumns(record, now) });
  return updated === 1;
}

/** Closes an expired, unanswered challenge with its denial (so the record shows the late answer). */
export async function closeExpiredChallenge(q: Knex, tap: { id: string; readerId: string }, now: Date, record: TapRecord): Promise<void> {
  await q('taps').where({ id: tap.id, reader_id: tap.readerId }).whereNull('consumed_at').update({ consumed_at: now, ...recordColumns(record, now) });
}

/** Writes the module's decision on a tap consumed before the module was asked. */
export async function recordDecision(q: Knex, id: string, now: Date, record: TapRecord): Promise<void> {
  await q('taps').where({ id }).update(recordColumns(record, now));
}
