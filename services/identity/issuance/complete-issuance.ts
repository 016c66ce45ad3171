import { appendAudit } from '../../../shared/audit/index.js';
import { applyCardAction, effectiveState, getCard, type CardRecord } from '../cards/index.js';
import type { IssuanceAttempt } from './issuance-attempt.js';
import type { IssuanceProgress } from './issuance-progress.js';
import { findCardRow, lockForAttempt, writeProgress } from './issuance-store.js';

/**
 * The card has done every step: one transaction makes it a card. A renewal supersedes the old
 * card first (so the cardholder never holds two cards in use); the new card becomes `issued`,
 * and `active` at once when the desk hands it over; a temporary card's main card is suspended
 * until the same midnight the temporary card expires, and resumes by itself then.
 */
export async function completeIssuance(attempt: IssuanceAttempt): Promise<CardRecord> {
  const { deps, actor } = attempt;
  const now = deps.now();
  const change = { actor, now, certificates: deps.certificates };
  return deps.db.knex.transaction(async (trx) => {
    const { row, progress } = await lockForAttempt(trx, attempt.cardId, attempt.started.token);
    if (progress.purpose === 'renew' && row.replaces_card_id) {
      const old = await findCardRow(trx, row.replaces_card_id, { forUpdate: true });
      const oldState = old ? effectiveState(old as never, now) : undefined;
      if (oldState === 'issued' || oldState === 'active' || oldState === 'suspended') {
        await applyCardAction(trx, row.replaces_card_id, { kind: 'revoke', reason: 'superseded' }, { ...change, details: { supersededBy: row.id } });
      }
    }
    await applyCardAction(trx, row.id, { kind: 'complete-issuance' }, { ...change, details: { purpose: progress.purpose, attempts: progress.attempts } });
    if (progress.activate) await applyCardAction(trx, row.id, { kind: 'activate' }, { ...change, details: { atIssuance: true } });
    if (progress.covers) {
      const main = await getCard(trx, progress.covers, now);
      // Suspended until the temporary card's own end, in the organisation's time zone.
      if (main.status === 'active') {
        await applyCardAction(trx, main.id, { kind: 'suspend' }, { ...change, suspendedUntil: new Date(row.expires_at), details: { coveredBy: row.id } });
      }
    }
    const { lease: _ended, certificateDer: _written, ...rest } = progress;
    const completed: IssuanceProgress = { ...rest, certificateDer: {}, completedAt: now.toISOString() };
    await writeProgress(trx, row.id, completed);
    await appendAudit(trx, {
      actor,
      action: 'issuance.complete',
      subject: { kind: 'card', id: row.id },
      details: { cardholderId: row.cardholder_id, purpose: progress.purpose, attempts: progress.attempts, certificates: progress.certificates },
      at: now,
    });
    return getCard(trx, row.id, now);
  });
}
