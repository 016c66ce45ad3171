import type { Knex } from 'knex';
import type { AuthenticatedTap, ModuleDecision, ModuleTapContext } from '../../../../shared/modules/index.js';
import { recordDoorEvent } from '../events/door-event-store.js';
import { cardActive } from '../holders/card-register.js';
import { doorOfReader } from '../places/place-store.js';
import { decideDoor, presenceAfter, type DoorAccessFacts, type DoorVerdict } from '../rules/door-rules.js';
import { loadDoorFacts } from './door-facts.js';
import { readTogether } from './read-together.js';

/**
 * Decides a `door.open` / `door.open-pin` tap: finds the door the reader controls, loads the
 * facts and applies the door rules. A grant moves the cardholder's anti-passback presence; every
 * decision is a door event (the controller's own reports of held/forced doors come through the API).
 */
export async function decideDoorOpen(tap: AuthenticatedTap, ctx: ModuleTapContext): Promise<ModuleDecision> {
  const place = await doorOfReader(ctx.knex, tap.reader.id);
  if (!place) return { decision: 'denied', reason: 'not_a_door' };
  const credential = tap.credential;
  const event = { doorId: place.door.id, readerId: tap.reader.id, source: 'online' as const, eventKey: `tap:${tap.id}`, occurredAt: tap.at };
  if (credential.kind !== 'platform') {
    // Another organisation's card has no memberships here (a visitor gets a temporary membership as one of our cardholders).
    await recordDoorEvent(ctx.knex, { ...event, kind: 'denied', cardholderId: null, reason: 'unknown_cardholder', receivedAt: ctx.now() });
    return { decision: 'denied', reason: 'unknown_cardholder', display: { door: place.door.name } };
  }
  const cardholderId = credential.cardholderId;
  const decideIn = async (q: Knex): Promise<DoorVerdict> => {
    const [active, facts] = await readTogether<[boolean, DoorAccessFacts]>(q, [
      () => cardActive(q, credential.cardId, tap.at),
      () => loadDoorFacts(q, { ...place, cardholderId, cardActive: false, assurance: tap.assurance, at: tap.at, timeZone: ctx.timeZone }),
    ]);
    const verdict = decideDoor({ ...facts, cardActive: active });
    if (verdict.decision === 'granted' && place.zone.antiPassback !== 'off') {
      await q('access_presence')
        .insert({ cardholder_id: cardholderId, zone_id: place.zone.id, state: presenceAfter(place.direction), at: tap.at })
        .onConflict(['cardholder_id', 'zone_id'])
        .merge(['state', 'at']);
    }
    await recordDoorEvent(q, { ...event, kind: verdict.decision, cardholderId, reason: verdict.reason, receivedAt: ctx.now() });
    return verdict;
  };
  // Under anti-passback, two taps of one cardholder at once must not both read "outside":
  // serialise them on a transaction-scoped advisory lock for (cardholder, zone).
  const verdict =
    place.zone.antiPassback === 'off'
      ? await decideIn(ctx.knex)
      : await ctx.knex.transaction(async (trx) => {
          await trx.raw('select pg_advisory_xact_lock(hashtextextended(?, 0))', [`access-presence:${cardholderId}:${place.zone.id}`]);
          return decideIn(trx);
        });
  return { decision: verdict.decision, reason: verdict.reason, display: { door: place.door.name } };
}
