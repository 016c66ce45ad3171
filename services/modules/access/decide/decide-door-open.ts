import type { AuthenticatedTap, ModuleDecision, ModuleTapContext } from '../../../../shared/modules/index.js';
import { recordDoorEvent } from '../events/door-event-store.js';
import { cardActive } from '../holders/card-register.js';
import { doorOfReader } from '../places/place-store.js';
import { decideDoor, presenceAfter, type DoorVerdict } from '../rules/door-rules.js';
import { loadDoorFacts } from './door-facts.js';

/**
 * Decides a `door.open` tap: finds the door the reader controls, loads the facts and applies
 * the door rules. A grant moves the cardholder's anti-passback presence; every decision is a
 * door event (the controller's own reports of held/forced doors come through the API).
 */
export async function decideDoorOpen(tap: AuthenticatedTap, ctx: ModuleTapContext): Promise<ModuleDecision> {
  const place = await doorOfReader(ctx.knex, tap.reader.id);
  if (!place) return { decision: 'denied', reason: 'not_a_door' };
  let verdict: DoorVerdict;
  let cardholderId: string | null = null;
  if (tap.credential.kind !== 'platform') {
    // Another organisation's card has no memberships here (access for visitors is a temporary membership of our own cardholder).
    verdict = { decision: 'denied', reason: 'unknown_cardholder' };
  } else {
    cardholderId = tap.credential.cardholderId;
    const facts = await loadDoorFacts(ctx.knex, {
      ...place,
      cardholderId,
      cardActive: await cardActive(ctx.knex, tap.credential.cardId, tap.at),
      assurance: tap.assurance,
      at: tap.at,
      timeZone: ctx.timeZone,
    });
    verdict = decideDoor(facts);
  }
  await ctx.knex.transaction(async (trx) => {
    if (verdict.decision === 'granted' && cardholderId && place.zone.antiPassback !== 'off') {
      await trx('access_presence')
        .insert({ cardholder_id: cardholderId, zone_id: place.zone.id, state: presenceAfter(place.direction), at: tap.at })
        .onConflict(['cardholder_id', 'zone_id'])
        .merge(['state', 'at']);
    }
    await recordDoorEvent(trx, {
      doorId: place.door.id,
      readerId: tap.reader.id,
      kind: verdict.decision,
      cardholderId,
      reason: verdict.reason,
      source: 'online',
      eventKey: `tap:${tap.id}`,
      occurredAt: tap.at,
      receivedAt: ctx.now(),
    });
  });
  return { decision: verdict.decision, reason: verdict.reason, display: { door: place.door.name } };
}
