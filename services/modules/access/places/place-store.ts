import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { TesseraError } from '../../../../shared/errors/index.js';
import type { AntiPassback, Direction } from '../rules/door-rules.js';

export interface Site {
  readonly id: string;
  readonly name: string;
  readonly description: string;
}
export interface Zone {
  readonly id: string;
  readonly siteId: string;
  readonly name: string;
  readonly requiresPin: boolean;
  readonly antiPassback: AntiPassback;
}
export interface DoorReader {
  readonly readerId: string;
  readonly direction: Direction;
}
export interface Door {
  readonly id: string;
  readonly zoneId: string;
  readonly name: string;
  readonly requiresPin: boolean;
  readonly heldOpenSeconds: number;
  readonly readers: readonly DoorReader[];
}

const UNIQUE_VIOLATION = '23505';
const isUnique = (err: unknown) => (err as { code?: string }).code === UNIQUE_VIOLATION;

export async function createSite(knex: Knex, input: { name: string; description?: string }, now: Date): Promise<Site> {
  const site = { id: randomUUID(), name: input.name, description: input.description ?? '' };
  try {
    await knex('access_sites').insert({ ...site, created_at: now });
  } catch (err) {
    if (isUnique(err)) throw new TesseraError('ERR_ACCESS_NAME_TAKEN', `A site named ${input.name} exists`);
    throw err;
  }
  return site;
}

export async function listSites(knex: Knex): Promise<Site[]> {
  const rows = await knex('access_sites').select('id', 'name', 'description').orderBy('name');
  return rows.map((r: any) => ({ id: r.id, name: r.name, description: r.description }));
}

export async function createZone(knex: Knex, input: { siteId: string; name: string; requiresPin?: boolean; antiPassback?: AntiPassback }, now: Date): Promise<Zone> {
  await mustExist(knex, 'access_sites', input.siteId, 'site');
  const zone: Zone = { id: randomUUID(), siteId: input.siteId, name: input.name, requiresPin: input.requiresPin ?? false, antiPassback: input.antiPassback ?? 'off' };
  try {
    await knex('access_zones').insert({ id: zone.id, site_id: zone.siteId, name: zone.name, requires_pin: zone.requiresPin, anti_passback: zone.antiPassback, created_at: now });
  } catch (err) {
    if (isUnique(err)) throw new TesseraError('ERR_ACCESS_NAME_TAKEN', `The site already has a zone named ${input.name}`);
    throw err;
  }
  return zone;
}

export async function updateZone(knex: Knex, id: string, change: { requiresPin?: boolean; antiPassback?: AntiPassback }): Promise<Zone> {
  const patch: Record<string, unknown> = {};
  if (change.requiresPin !== undefined) patch.requires_pin = change.requiresPin;
  if (change.antiPassback !== undefined) patch.anti_passback = change.antiPassback;
  if (Object.keys(patch).length > 0) await knex('access_zones').where({ id }).update(patch);
  return zoneById(knex, id);
}

export async function zoneById(knex: Knex, id: string): Promise<Zone> {
  const row = await knex('access_zones').where({ id }).first();
  if (!row) throw new TesseraError('ERR_ACCESS_NOT_FOUND', `No zone ${id}`, { zoneId: id });
  return zoneFromRow(row);
}

export async function listZones(knex: Knex, siteId?: string): Promise<Zone[]> {
  const q = knex('access_zones').orderBy('name');
  if (siteId) q.where({ site_id: siteId });
  return (await q).map(zoneFromRow);
}

export async function createDoor(
  knex: Knex,
  input: { zoneId: string; name: string; requiresPin?: boolean; heldOpenSeconds?: number; readers?: readonly DoorReader[] },
  now: Date,
): Promise<Door> {
  await mustExist(knex, 'access_zones', input.zoneId, 'zone');
  const id = randomUUID();
  try {
    await knex.transaction(async (trx) => {
      await trx('access_doors').insert({
        id,
        zone_id: input.zoneId,
        name: input.name,
        requires_pin: input.requiresPin ?? false,
        held_open_seconds: input.heldOpenSeconds ?? 30,
        created_at: now,
      });
      for (const reader of input.readers ?? []) await trx('access_door_readers').insert({ reader_id: reader.readerId, door_id: id, direction: reader.direction });
    });
  } catch (err) {
    if (isUnique(err)) {
      const readerClash = String((err as { constraint?: string }).constraint ?? '').startsWith('access_door_readers');
      throw readerClash
        ? new TesseraError('ERR_ACCESS_READER_BOUND', 'One of the readers already controls a door')
        : new TesseraError('ERR_ACCESS_NAME_TAKEN', `The zone already has a door named ${input.name}`);
    }
    throw err;
  }
  return doorById(knex, id);
}

export async function bindReader(knex: Knex, doorId: string, reader: DoorReader): Promise<Door> {
  await mustExist(knex, 'access_doors', doorId, 'door');
  try {
    await knex('access_door_readers').insert({ reader_id: reader.readerId, door_id: doorId, direction: reader.direction });
  } catch (err) {
    if (isUnique(err)) throw new TesseraError('ERR_ACCESS_READER_BOUND', `Reader ${reader.readerId} already controls a door`);
    throw err;
  }
  return doorById(knex, doorId);
}

export async function unbindReader(knex: Knex, doorId: string, readerId: string): Promise<Door> {
  const removed = await knex('access_door_readers').where({ door_id: doorId, reader_id: readerId }).delete();
  if (removed === 0) throw new TesseraError('ERR_ACCESS_NOT_FOUND', `Reader ${readerId} does not control door ${doorId}`);
  return doorById(knex, doorId);
}

export async function doorById(knex: Knex, id: string): Promise<Door> {
  const doors = await loadDoors(knex, knex('access_doors').where({ id }));
  const door = doors[0];
  if (!door) throw new TesseraError('ERR_ACCESS_NOT_FOUND', `No door ${id}`, { doorId: id });
  return door;
}

export async function listDoors(knex: Knex, zoneId?: string): Promise<Door[]> {
  const q = knex('access_doors').orderBy('name');
  if (zoneId) q.where({ zone_id: zoneId });
  return loadDoors(knex, q);
}

/** Where a reader stands: its door (without the door's reader list), the door's zone, and which way it leads. */
export interface ReaderPlace {
  readonly door: Omit<Door, 'readers'>;
  readonly zone: Zone;
  readonly direction: Direction;
}

/** The door a reader controls, in one round trip (the tap path), or undefined when it controls none. */
export async function doorOfReader(knex: Knex, readerId: string): Promise<ReaderPlace | undefined> {
  const row = await knex('access_door_readers as r')
    .join('access_doors as d', 'd.id', 'r.door_id')
    .join('access_zones as z', 'z.id', 'd.zone_id')
    .where('r.reader_id', readerId)
    .first(
      'r.direction', 'd.id as door_id', 'd.name as door_name', 'd.requires_pin as door_requires_pin', 'd.held_open_seconds',
      'z.id as zone_id', 'z.site_id', 'z.name as zone_name', 'z.requires_pin as zone_requires_pin', 'z.anti_passback',
    );
  if (!row) return undefined;
  return {
    door: { id: row.door_id, zoneId: row.zone_id, name: row.door_name, requiresPin: row.door_requires_pin, heldOpenSeconds: Number(row.held_open_seconds) },
    zone: { id: row.zone_id, siteId: row.site_id, name: row.zone_name, requiresPin: row.zone_requires_pin, antiPassback: row.anti_passback },
    direction: row.direction,
  };
}

async function loadDoors(knex: Knex, query: Knex.QueryBuilder): Promise<Door[]> {
  const rows = await query;
  if (rows.length === 0) return [];
  const readers = await knex('access_door_readers').whereIn('door_id', rows.map((r: any) => r.id)).orderBy('reader_id');
  return rows.map((r: any) => ({
    id: r.id,
    zoneId: r.zone_id,
    name: r.name,
    requiresPin: r.requires_pin,
    heldOpenSeconds: Number(r.held_open_seconds),
    readers: readers.filter((b: any) => b.door_id === r.id).map((b: any) => ({ readerId: b.reader_id, direction: b.direction })),
  }));
}

function zoneFromRow(r: any): Zone {
  return { id: r.id, siteId: r.site_id, name: r.name, requiresPin: r.requires_pin, antiPassback: r.anti_passback };
}

async function mustExist(knex: Knex, table: string, id: string, what: string): Promise<void> {
  const row = await knex(table).where({ id }).first('id');
  if (!row) throw new TesseraError('ERR_ACCESS_NOT_FOUND', `No ${what} ${id}`, { [`${what}Id`]: id });
}
