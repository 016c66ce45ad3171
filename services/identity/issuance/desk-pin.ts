import { appendAudit, type AuditActor } from '../../../shared/audit/index.js';
import { isTesseraError, TesseraError } from '../../../shared/errors/index.js';
import { PivClient, PukBlockedError, WrongPukError } from '../../../shared/piv/index.js';
import { applyCardAction, effectiveState } from '../cards/index.js';
import { readGuid, whichCardKey } from './card-probe.js';
import { openCardSecrets, type CardSecrets } from './card-secrets.js';
import type { IssuanceDeps } from './issuance-deps.js';
import { parseProgress } from './issuance-progress.js';
import { getCardRow, writeProgress, type CardRow } from './issuance-store.js';
import { assertPinRules } from './pin-rules.js';

export interface DeskPinRequest {
  readonly cardId: string;
  readonly deskReader: string;
  readonly actor: AuditActor;
}

/** The cardholder knows their PIN and wants another: CHANGE REFERENCE DATA with the old PIN. */
export async function changePinAtDesk(deps: IssuanceDeps, request: DeskPinRequest & { currentPin: string; newPin: string }): Promise<{ cardId: string }> {
  assertPinRules(request.newPin, 'newPin');
  return atDesk(deps, request, 'card.pin-change', async (client) => {
    await client.changePin(request.currentPin, request.newPin);
    await client.resetPinStatus();
  });
}

/**
 * The PIN is forgotten or blocked: RESET RETRY COUNTER with the card's PUK, which never leaves
 * the platform. A card whose PUK is blocked (someone tried PUKs elsewhere) can never be
 * unblocked again, as on any PIV card: it is revoked (damaged) and must be replaced.
 */
export async function unblockPinAtDesk(deps: IssuanceDeps, request: DeskPinRequest & { newPin: string }): Promise<{ cardId: string }> {
  assertPinRules(request.newPin, 'newPin');
  try {
    return await atDesk(deps, request, 'card.pin-unblock', async (client, secrets) => {
      await client.unblockPin(secrets.puk, request.newPin);
    });
  } catch (error) {
    if (error instanceof PukBlockedError || (error instanceof WrongPukError && error.triesLeft === 0)) {
      await markDead(deps, request);
      throw new TesseraError('ERR_CARD_DEAD', `The PUK of card ${request.cardId} is blocked: the card is revoked; replace it (POST /v1/cards/${request.cardId}/replace)`, {
        cardId: request.cardId,
      });
    }
    throw error;
  }
}

/**
 * A desk operation on an issued card: it must be in a state the desk serves, the card in the
 * reader must carry its GUID, and it must prove it holds the card's own management key (so a
 * copied CHUID is not enough). The outcome is audited either way.
 */
async function atDesk(
  deps: IssuanceDeps,
  request: DeskPinRequest,
  action: 'card.pin-change' | 'card.pin-unblock',
  work: (client: PivClient, secrets: CardSecrets) => Promise<void>,
): Promise<{ cardId: string }> {
  const row = await serviceableCard(deps, request.cardId);
  const secrets = openCardSecrets(deps.secrets, row);
  const session = await deps.deskReaders.open(request.deskReader, { kind: 'card', cardId: row.id });
  try {
    const client = new PivClient(session);
    await client.select();
    const guid = await readGuid(client);
    if (guid !== row.id || !(await whichCardKey(client, secrets.managementSecret))) {
      throw new TesseraError('ERR_CARD_MISMATCH', `The card in "${request.deskReader}" is not card ${row.id}`, { cardId: row.id, deskReader: request.deskReader });
    }
    await work(client, secrets);
    await audit(deps, request, action, row, { outcome: 'done' });
    return { cardId: row.id };
  } catch (error) {
    const facts: Record<string, unknown> = { outcome: 'failed', code: isTesseraError(error) ? error.code : 'ERR_INTERNAL' };
    if (isTesseraError(error) && typeof error.extensions.triesLeft === 'number') facts.triesLeft = error.extensions.triesLeft;
    await audit(deps, request, action, row, facts);
    throw error;
  } finally {
    await session.release();
  }
}

async function serviceableCard(deps: IssuanceDeps, cardId: string): Promise<CardRow> {
  const row = await getCardRow(deps.db.knex, cardId);
  const state = effectiveState(row as never, deps.now());
  if (parseProgress(row.issuance).dead) {
    throw new TesseraError('ERR_CARD_DEAD', `Card ${cardId} is locked for good; replace it`, { cardId });
  }
  if (state !== 'issued' && state !== 'active' && state !== 'suspended') {
    throw new TesseraError('ERR_CARD_NOT_SERVICEABLE', `Card ${cardId} is ${state}`, { cardId, status: state });
  }
  return row;
}

async function audit(deps: IssuanceDeps, request: DeskPinRequest, action: string, row: CardRow, facts: Record<string, unknown>): Promise<void> {
  await deps.db.knex.transaction((trx) =>
    appendAudit(trx, {
      actor: request.actor,
      action,
      subject: { kind: 'card', id: row.id },
      details: { cardholderId: row.cardholder_id, deskReader: request.deskReader, ...facts },
      at: deps.now(),
    }),
  );
}

/** Record the dead card and revoke it: its PIN can never be reset, so its 9A key is lost. */
async function markDead(deps: IssuanceDeps, request: DeskPinRequest): Promise<void> {
  const now = deps.now();
  await deps.db.knex.transaction(async (trx) => {
    const row = await getCardRow(trx, request.cardId, { forUpdate: true });
    const progress = parseProgress(row.issuance);
    await writeProgress(trx, row.id, { ...progress, dead: { at: now.toISOString(), reason: 'puk-blocked' } });
    const state = effectiveState(row as never, now);
    if (state === 'issued' || state === 'active' || state === 'suspended') {
      await applyCardAction(trx, row.id, { kind: 'revoke', reason: 'damaged' }, {
        actor: request.actor,
        now,
        certificates: deps.certificates,
        details: { because: 'PUK blocked', deskReader: request.deskReader },
      });
    }
  });
}
