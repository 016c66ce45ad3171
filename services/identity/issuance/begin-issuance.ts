import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { appendAudit, type AuditActor } from '../../../shared/audit/index.js';
import { TesseraError } from '../../../shared/errors/index.js';
import { getCardholder, type Cardholder } from '../cardholders/index.js';
import { applyCardAction, getCard, liveCardsOf, type CardKind, type CardRecord } from '../cards/index.js';
import { abandonIssuance } from './abandon-issuance.js';
import type { CardProbe } from './card-probe.js';
import { drawCardSecrets, openCardSecrets, type CardSecrets } from './card-secrets.js';
import type { IssuanceDeps } from './issuance-deps.js';
import { assertRenewable, cardExpiry } from './issuance-policy.js';
import { leaseIsLive, parseProgress, type IssuanceProgress, type IssuancePurpose } from './issuance-progress.js';
import { findCardRow, writeProgress, type CardRow } from './issuance-store.js';
import { nextMidnight } from '../../../shared/time/zoned-time.js';

/** An attempt holds its record this long past its last step; a crashed desk frees it by then. */
export const LEASE_MS = 120_000;

export interface IssuanceRequest {
  readonly cardholderId: string;
  readonly purpose: IssuancePurpose;
  readonly deskReader: string;
  readonly algorithm: 'rsa2048' | 'p256';
  /** ISO date-time; the policy's default for the cardholder's kind when absent. */
  readonly expiresAt?: string | undefined;
  /** The PIN the cardholder chose; checked against the PIN rules, never stored. */
  readonly pin: string;
  readonly activate: boolean;
  /** replace and renew: the card the new one replaces. */
  readonly replacesCardId?: string | undefined;
  /** replace: why the old card goes (its certificates' CRL reason follows from it). */
  readonly revocationReason?: 'lost' | 'stolen' | 'damaged' | undefined;
  readonly actor: AuditActor;
}

export interface StartedIssuance {
  readonly row: CardRow;
  readonly progress: IssuanceProgress;
  readonly token: string;
  readonly secrets: CardSecrets;
  readonly cardholder: Cardholder;
  /** The record existed and this attempt continues it on the same card. */
  readonly resumed: boolean;
}

export function kindOf(purpose: IssuancePurpose): CardKind {
  return purpose === 'temporary' ? 'temporary' : 'standard';
}

/**
 * Decides, in one transaction under the cardholder's row lock, what the card in the reader is
 * for: the issuance in progress continues when the card is the one it started on (same blank
 * GUID, or it accepts that issuance's management key); a different blank card starts clean and
 * the old record is abandoned; anything else is refused before the card is changed. Two desks
 * for one person serialise on the lock, and the second finds the first's live lease.
 */
export async function beginIssuance(
  deps: IssuanceDeps,
  request: IssuanceRequest,
  probe: CardProbe,
  peekedId: string | undefined,
): Promise<StartedIssuance> {
  const kind = kindOf(request.purpose);
  const now = deps.now();
  const token = randomUUID();
  const lease = { token, until: new Date(now.getTime() + LEASE_MS).toISOString(), deskReader: request.deskReader };
  return deps.db.knex.transaction(async (trx) => {
    const cardholder = await getCardholder(trx, request.cardholderId, { forUpdate: true });
    const change = { actor: request.actor, now, certificates: deps.certificates };
    const live = await liveCardsOf(trx, cardholder.id, change);
    const issuing = live.find((c) => c.kind === kind && c.status === 'issuing');
    if (issuing) {
      const row = (await findCardRow(trx, issuing.id, { forUpdate: true }))!;
      const progress = parseProgress(row.issuance);
      if (leaseIsLive(progress, now)) {
        throw new TesseraError('ERR_ISSUANCE_IN_PROGRESS', `A card is being issued for ${cardholder.reference} at "${progress.lease!.deskReader}"`, {
          cardId: row.id,
          deskReader: progress.lease!.deskReader,
        });
      }
      const sameCard = (probe.factoryKey && probe.guid !== null && probe.guid === progress.blankGuid) || (probe.cardKey !== undefined && peekedId === row.id);
      if (sameCard) {
        const resumed: IssuanceProgress = {
          ...progress,
          // The latest request decides the hand-over (the desk may now want the card active).
          activate: request.activate,
          attempts: progress.attempts + 1,
          lease,
          ...(probe.cardKey ? { managementKeyAlgorithm: progress.managementKeyAlgorithm ?? probe.cardKey } : {}),
        };
        await writeProgress(trx, row.id, resumed, { desk_reader: request.deskReader });
        await appendAudit(trx, {
          actor: request.actor,
          action: 'issuance.resume',
          subject: { kind: 'card', id: row.id },
          details: { cardholderId: cardholder.id, deskReader: request.deskReader, attempt: resumed.attempts, stepsDone: Object.keys(progress.done) },
          at: now,
        });
        return { row, progress: resumed, token, secrets: openCardSecrets(deps.secrets, row), cardholder, resumed: true };
      }
      if (!probe.factoryKey) throw notBlank(request.deskReader);
      await abandonIssuance(trx, row, { pki: deps.pki, actor: request.actor, now, because: 'a different blank card was presented' });
    }
    if (!probe.factoryKey) throw notBlank(request.deskReader);
    const { expiresAt, covers } = await checkPurpose(trx, deps, request, cardholder, live.filter((c) => c.status !== 'issuing'), now);
    return insertIssuingCard(trx, deps, request, { cardholder, kind, expiresAt, covers, lease, blankGuid: probe.guid, now });
  });
}

function notBlank(deskReader: string): TesseraError {
  return new TesseraError('ERR_CARD_NOT_BLANK', `The card in "${deskReader}" refuses the factory management key: it is not blank stock`, { deskReader });
}

/** What the purpose requires of the cardholder's other cards, and the new card's expiry. */
async function checkPurpose(
  trx: Knex.Transaction,
  deps: IssuanceDeps,
  request: IssuanceRequest,
  cardholder: Cardholder,
  inUse: CardRecord[],
  now: Date,
): Promise<{ expiresAt: Date; covers?: string }> {
  const standard = inUse.find((c) => c.kind === 'standard');
  switch (request.purpose) {
    case 'new':
      if (standard) throw activeCardExists(standard);
      return { expiresAt: cardExpiry(cardholder.kind, request.expiresAt, now) };
    case 'replace': {
      const old = await oldCardOf(trx, request, cardholder, now);
      if (standard && standard.id !== old.id) throw activeCardExists(standard);
      if (old.status !== 'revoked' && old.status !== 'expired') {
        await applyCardAction(trx, old.id, { kind: 'revoke', reason: request.revocationReason ?? 'lost' }, {
          actor: request.actor,
          now,
          certificates: deps.certificates,
          details: { because: 'replaced at the desk' },
        });
      }
      return { expiresAt: cardExpiry(cardholder.kind, request.expiresAt, now) };
    }
    case 'renew': {
      const old = await oldCardOf(trx, request, cardholder, now);
      if (!standard || standard.id !== old.id) {
        throw new TesseraError('ERR_CARD_NOT_SERVICEABLE', `Card ${old.id} is ${old.status}: only a card in use can be renewed`, { cardId: old.id, status: old.status });
      }
      assertRenewable(new Date(old.expiresAt), now, deps.renewalWindowDays);
      return { expiresAt: cardExpiry(cardholder.kind, request.expiresAt, now) };
    }
    case 'temporary': {
      const temporary = inUse.find((c) => c.kind === 'temporary');
      if (temporary) throw activeCardExists(temporary);
      if (!standard || standard.status !== 'active') {
        throw new TesseraError('ERR_NO_CARD_TO_COVER', `${cardholder.reference} has no active card for a temporary card to stand in for`);
      }
      return { expiresAt: nextMidnight(now, deps.timeZone), covers: standard.id };
    }
  }
}

async function oldCardOf(trx: Knex.Transaction, request: IssuanceRequest, cardholder: Cardholder, now: Date): Promise<CardRecord> {
  if (!request.replacesCardId) throw new TesseraError('ERR_VALIDATION', `A ${request.purpose} names the card it replaces`);
  const old = await getCard(trx, request.replacesCardId, now);
  if (old.cardholderId !== cardholder.id || old.kind !== 'standard') {
    throw new TesseraError('ERR_CARD_NOT_SERVICEABLE', `Card ${old.id} is not a standard card of ${cardholder.reference}`, { cardId: old.id });
  }
  return old;
}

function activeCardExists(card: CardRecord): TesseraError {
  return new TesseraError('ERR_ACTIVE_CARD_EXISTS', `The cardholder already has a ${card.kind} card (${card.id}, ${card.status})`, {
    cardId: card.id,
    status: card.status,
  });
}

async function insertIssuingCard(
  trx: Knex.Transaction,
  deps: IssuanceDeps,
  request: IssuanceRequest,
  facts: { cardholder: Cardholder; kind: CardKind; expiresAt: Date; covers?: string | undefined; lease: IssuanceProgress['lease']; blankGuid: string | null; now: Date },
): Promise<StartedIssuance> {
  const id = randomUUID();
  const sealed = drawCardSecrets(deps.secrets, id);
  const progress: IssuanceProgress = {
    purpose: request.purpose,
    activate: request.activate,
    startedAt: facts.now.toISOString(),
    attempts: 1,
    blankGuid: facts.blankGuid,
    keys: {},
    certificates: {},
    certificateDer: {},
    done: { identified: facts.now.toISOString() },
    ...(facts.covers ? { covers: facts.covers } : {}),
    ...(facts.lease ? { lease: facts.lease } : {}),
  };
  try {
    // A savepoint, so a lost race leaves the transaction usable for the error below.
    await trx.transaction(async (sp) => {
      await sp('cards').insert({
        id,
        cardholder_id: facts.cardholder.id,
        kind: facts.kind,
        status: 'issuing',
        algorithm: request.algorithm,
        expires_at: facts.expiresAt,
        replaces_card_id: request.purpose === 'replace' || request.purpose === 'renew' ? request.replacesCardId : null,
        issued_by: request.actor.id,
        desk_reader: request.deskReader,
        issuance: JSON.stringify(progress),
        management_key_sealed: sealed.managementKeySealed,
        puk_sealed: sealed.pukSealed,
        created_at: facts.now,
        status_changed_at: facts.now,
      });
    });
  } catch (error) {
    if ((error as { code?: string }).code === '23505') {
      throw new TesseraError('ERR_ISSUANCE_IN_PROGRESS', `A card is already being issued for ${facts.cardholder.reference}`);
    }
    throw error;
  }
  await appendAudit(trx, {
    actor: request.actor,
    action: 'issuance.begin',
    subject: { kind: 'card', id },
    details: {
      cardholderId: facts.cardholder.id,
      purpose: request.purpose,
      kind: facts.kind,
      algorithm: request.algorithm,
      expiresAt: facts.expiresAt.toISOString(),
      deskReader: request.deskReader,
      ...(request.replacesCardId ? { replacesCardId: request.replacesCardId } : {}),
      ...(facts.covers ? { covers: facts.covers } : {}),
    },
    at: facts.now,
  });
  const row = (await findCardRow(trx, id))!;
  return { row, progress, token: facts.lease!.token, secrets: sealed.plain, cardholder: facts.cardholder, resumed: false };
}
