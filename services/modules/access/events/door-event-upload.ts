import type { ModuleContext } from '../../../../shared/modules/index.js';
import { TesseraError } from '../../../../shared/errors/index.js';
import { presenceAfter, type Direction } from '../rules/door-rules.js';
import { recordDoorEvent, type DoorEventKind } from './door-event-store.js';

/** One event as a controller reports it. */
export interface ReportedDoorEvent {
  readonly key: string;
  readonly kind: DoorEventKind;
  readonly at: string;
  readonly cardholderId?: string | null;
  readonly reason?: string | null;
  readonly offline?: boolean;
}

/**
 * Stores the events a door controller reports, once each (by its key), in one transaction.
 * An offline grant at an anti-passback zone moves the cardholder's presence, unless a later
 * pass is already recorded (uploads arrive late, and out of order with online taps).
 */
export async function uploadDoorEvents(ctx: ModuleContext, readerId: string, events: readonly ReportedDoorEvent[]): Promise<{ stored: number; duplicates: number }> {
  const binding = await ctx.knex('access_door_readers as r').join('access_doors as d', 'd.id', 'r.door_id').join('access_zones as z', 'z.id', 'd.zone_id')
    .where('r.reader_id', readerId).first('r.door_id', 'r.direction', 'd.zone_id', 'z.anti_passback');
  if (!binding) throw new TesseraError('ERR_ACCESS_NOT_A_DOOR_READER', `Reader ${readerId} controls no door`);
  let stored = 0;
  await ctx.knex.transaction(async (trx) => {
    for (const event of events) {
      const occurredAt = new Date(event.at);
      const isNew = await recordDoorEvent(trx, {
        doorId: binding.door_id,
        readerId,
        kind: event.kind,
        cardholderId: event.cardholderId ?? null,
        reason: event.reason ?? null,
        source: event.offline ? 'offline' : 'online',
        eventKey: event.key,
        occurredAt,
        receivedAt: ctx.now(),
      });
      if (!isNew) continue;
      stored += 1;
      if (event.kind === 'granted' && event.cardholderId && binding.anti_passback !== 'off') {
        await trx('access_presence')
          .insert({ cardholder_id: event.cardholderId, zone_id: binding.zone_id, state: presenceAfter(binding.direction as Direction), at: occurredAt })
          .onConflict(['cardholder_id', 'zone_id'])
          .merge(['state', 'at'])
          .where('access_presence.at', '<', occurredAt);
      }
    }
  });
  return { stored, duplicates: events.length - stored };
}
