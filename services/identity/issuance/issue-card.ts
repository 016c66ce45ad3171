import { appendAudit } from '../../../shared/audit/index.js';
import { isTesseraError } from '../../../shared/errors/index.js';
import { PivClient } from '../../../shared/piv/index.js';
import { getCardholder } from '../cardholders/index.js';
import type { CardRecord } from '../cards/index.js';
import { beginIssuance, kindOf, type IssuanceRequest, type StartedIssuance } from './begin-issuance.js';
import { probeCard, type CardProbe } from './card-probe.js';
import { openCardSecrets } from './card-secrets.js';
import { runCardSteps } from './card-steps.js';
import { completeIssuance } from './complete-issuance.js';
import { explainNotBlank } from './explain-card.js';
import { IssuanceAttempt } from './issuance-attempt.js';
import type { IssuanceDeps } from './issuance-deps.js';
import { assertPinRules } from './pin-rules.js';
import { findIssuingRow, releaseLease } from './issuance-store.js';

export interface IssuedCard {
  readonly card: CardRecord;
  readonly certificates: { readonly slot: '9A' | '9E'; readonly serial: string }[];
  /** This request continued an issuance an earlier request had started on the same card. */
  readonly resumed: boolean;
}

/**
 * Issues a card at a desk reader, from a blank card to a card in its cardholder's hand:
 * PIN rules first (nothing is touched for a PIN that breaks one), then the card is identified
 * (probe), the database decides (begin: resume, start clean or refuse), the card does every
 * step it has not done, and the record completes. Any failure leaves the record `issuing`,
 * never usable, audits the outcome and frees the record for a retry.
 */
export async function issueCard(deps: IssuanceDeps, request: IssuanceRequest): Promise<IssuedCard> {
  assertPinRules(request.pin);
  await getCardholder(deps.db.knex, request.cardholderId);
  const session = await deps.deskReaders.open(request.deskReader, { kind: 'blank' });
  let handedOver: string | undefined;
  try {
    const client = new PivClient(session);
    const peeked = await findIssuingRow(deps.db.knex, request.cardholderId, kindOf(request.purpose));
    const probe = await probeCard(client, peeked ? openCardSecrets(deps.secrets, peeked) : undefined);
    let started: StartedIssuance;
    try {
      started = await beginIssuance(deps, request, probe, peeked?.id);
    } catch (error) {
      const refusal = isTesseraError(error) && error.code === 'ERR_CARD_NOT_BLANK' ? await explainNotBlank(deps, probe, error) : error;
      await recordRefusal(deps, request, refusal);
      throw refusal;
    }
    const attempt = new IssuanceAttempt(deps, client, started, { pin: request.pin, actor: request.actor, authenticatedWith: authenticatedBy(probe) });
    try {
      await runCardSteps(attempt);
      const card = await completeIssuance(attempt);
      handedOver = card.id;
      const certificates = (['9A', '9E'] as const).map((slot) => ({ slot, serial: attempt.progress.certificates[slot]! }));
      return { card, certificates, resumed: started.resumed };
    } catch (error) {
      await recordFailure(deps, attempt, error);
      throw error;
    }
  } finally {
    await session.release(handedOver ? { handedOver } : undefined);
  }
}

function authenticatedBy(probe: CardProbe): 'factory' | 'card' | undefined {
  if (probe.factoryKey) return 'factory';
  return probe.cardKey ? 'card' : undefined;
}

/** Refused before any card was changed (not blank, another desk, a card already in use): audited on the cardholder. */
async function recordRefusal(deps: IssuanceDeps, request: IssuanceRequest, error: unknown): Promise<void> {
  if (!isTesseraError(error)) return;
  const now = deps.now();
  await deps.db.knex
    .transaction((trx) =>
      appendAudit(trx, {
        actor: request.actor,
        action: 'issuance.refuse',
        subject: { kind: 'cardholder', id: request.cardholderId },
        details: { purpose: request.purpose, deskReader: request.deskReader, code: error.code, ...(typeof error.extensions.cardId === 'string' ? { cardId: error.extensions.cardId } : {}) },
        at: now,
      }),
    )
    .catch((auditError: unknown) => deps.logger?.error({ err: auditError }, 'could not audit a refused issuance'));
}

/** The attempt ends: audit which step failed and why, and free the record for a retry at once. */
async function recordFailure(deps: IssuanceDeps, attempt: IssuanceAttempt, error: unknown): Promise<void> {
  const now = deps.now();
  const code = isTesseraError(error) ? error.code : 'ERR_INTERNAL';
  const failedStep = nextStepOf(attempt);
  try {
    await deps.db.knex.transaction(async (trx) => {
      await releaseLease(trx, attempt.cardId, attempt.started.token);
      await appendAudit(trx, {
        actor: attempt.actor,
        action: 'issuance.step',
        subject: { kind: 'card', id: attempt.cardId },
        details: { step: failedStep, outcome: 'failed', code, attempt: attempt.progress.attempts },
        at: now,
      });
    });
  } catch (recordError) {
    deps.logger?.error({ err: recordError, cardId: attempt.cardId }, 'could not record a failed issuance step; the lease runs out by itself');
  }
}

function nextStepOf(attempt: IssuanceAttempt): string {
  const order = ['management-key', 'key-9a', 'key-9e', 'certificate-9a', 'certificate-9e', 'chuid', 'puk', 'pin', 'self-test'] as const;
  return order.find((step) => !attempt.isDone(step)) ?? 'complete';
}
