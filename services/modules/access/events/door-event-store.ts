import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { TesseraError } from '../../../../shared/errors/index.js';

export const DOOR_EVENT_KINDS = ['granted', 'denied', 'held_open', 'forced', 'closed'] as const;
export type DoorEventKind = (typeof DOOR_EVENT_KINDS)[number];
/** The events an operator must see in the alarm list. */
const ALARMING: ReadonlySet<string> = new Set(['held_open', 'forced']);

export interface DoorEventInput {
  readonly doorId: string;
  readonly readerId: string;
  readonly kind: DoorEventKind;
  readonly cardholderId: string | null;
  readonly reason: string | null;
  readonly source: 'online' | 'offline';
  /** The controller's own name for the event; the same key twice from one reader is stored once. */
  readonly eventKey: string;
  readonly occurredAt: Date;
  readonly receivedAt: Date;
}

export interface DoorEvent {
  readonly id: string;
  readonly doorId: string;
  readonly readerId: string;
  readonly kind: DoorEventKind;
  readonly cardholderId: string | null;
  readonly reason: string | null;
  readonly source: 'online' | 'offline';
  readonly eventKey: string;
  readonly occurredAt: string;
  readonly receivedAt: string;
}

export interface Alarm {
  readonly id: string;
  readonly doorId: string;
  readonly eventId: string;
  readonly kind: string;
  readonly raisedAt: string;
  readonly acknowledgedAt: string | null;
  readonly acknowledgedBy: string | null;
  readonly note: string | null;
}

/** Stores one door event (once per reader and key) and raises an alarm for a held or forced door. Returns whether it was new. */
export async function recordDoorEvent(trx: Knex, event: DoorEventInput): Promise<boolean> {
  const id = randomUUID();
  const inserted = await trx('access_door_events')
    .insert({
      id,
      door_id: event.doorId,
      reader_id: event.readerId,
      kind: event.kind,
      cardholder_id: event.cardholderId,
      reason: event.reason,
      source: event.source,
      event_key: event.eventKey,
      occurred_at: event.occurredAt,
      received_at: event.receivedAt,
    })
    .onConflict(['reader_id', 'event_key'])
    .ignore()
    .returning('id');
  if (inserted.length === 0) return false;
  if (ALARMING.has(event.kind)) {
    await trx('access_alarms').insert({ id: randomUUID(), door_id: event.doorId, event_id: id, kind: event.kind, raised_at: event.occurredAt });
  }
  return true;
}

export async function listDoorEvents(knex: Knex, filter: { doorId?: string; kind?: string; limit: number }): Promise<DoorEvent[]> {
  const q = knex('access_door_events').orderBy([{ column: 'occurred_at', order: 'desc' }, { column: 'id' }]).limit(filter.limit);
  if (filter.doorId) q.where({ door_id: filter.doorId });
  if (filter.kind) q.where({ kind: filter.kind });
  return (await q).map((r: any) => ({
    id: r.id,
    doorId: r.door_id,
    readerId: r.reader_id,
    kind: r.kind,
    cardholderId: r.cardholder_id,
    reason: r.reason,
    source: r.source,
    eventKey: r.event_key,
    occurredAt: new Date(r.occurred_at).toISOString(),
    receivedAt: new Date(r.received_at).toISOString(),
  }));
}

export async function listAlarms(knex: Knex, options: { openOnly: boolean; limit: number }): Promise<Alarm[]> {
  const q = knex('access_alarms').orderBy('raised_at', 'desc').limit(options.limit);
  if (options.openOnly) q.whereNull('acknowledged_at');
  return (await q).map(alarmFromRow);
}

export async function acknowledgeAlarm(trx: Knex, id: string, by: string, note: string, now: Date): Promise<Alarm> {
  const updated = await trx('access_alarms').where({ id }).whereNull('acknowledged_at').update({ acknowledged_at: now, acknowledged_by: by, note }).returning('*');
  const row = updated[0] ?? (await trx('access_alarms').where({ id }).first());
  if (!row) throw new TesseraError('ERR_ACCESS_NOT_FOUND', `No alarm ${id}`, { alarmId: id });
  return alarmFromRow(row);
}

function alarmFromRow(r: any): Alarm {
  return {
    id: r.id,
    doorId: r.door_id,
    eventId: r.event_id,
    kind: r.kind,
    raisedAt: new Date(r.raised_at).toISOString(),
    acknowledgedAt: r.acknowledged_at ? new Date(r.acknowledged_at).toISOString() : null,
    acknowledgedBy: r.acknowledged_by,
    note: r.note,
  };
}
