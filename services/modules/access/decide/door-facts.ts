import type { Knex } from 'knex';
import type { Assurance } from '../../../../shared/modules/index.js';
import { loadSchedules } from '../groups/schedule-store.js';
import { lockdownsOver } from '../lockdown/lockdown-store.js';
import type { Door, Zone } from '../places/place-store.js';
import type { ActiveLockdown, Direction, DoorAccessFacts, HeldMembership, Presence } from '../rules/door-rules.js';
import { readTogether } from './read-together.js';

/** Loads, from the module's tables, everything the door rules need for one cardholder at one door. */
export async function loadDoorFacts(
  knex: Knex,
  input: { door: Pick<Door, 'requiresPin'>; zone: Zone; direction: Direction; cardholderId: string; cardActive: boolean; assurance: Assurance; at: Date; timeZone: string },
): Promise<DoorAccessFacts> {
  const [memberships, presenceRow, lockdowns] = await readTogether<[HeldMembership[], { state: string } | undefined, ActiveLockdown[]]>(knex, [
    () => heldMemberships(knex, input.cardholderId, input.zone.id),
    async () => (input.zone.antiPassback === 'off' ? undefined : knex('access_presence').where({ cardholder_id: input.cardholderId, zone_id: input.zone.id }).first('state')),
    () => lockdownsOver(knex, input.zone),
  ]);
  return {
    at: input.at,
    timeZone: input.timeZone,
    assurance: input.assurance,
    cardActive: input.cardActive,
    requiresPin: input.door.requiresPin || input.zone.requiresPin,
    antiPassback: input.zone.antiPassback,
    direction: input.direction,
    presence: (presenceRow?.state as Presence | undefined) ?? 'unknown',
    lockdowns,
    memberships,
  };
}

/** The cardholder's memberships, each with its group's schedule and whether the group opens the zone. */
async function heldMemberships(knex: Knex, cardholderId: string, zoneId: string): Promise<HeldMembership[]> {
  const rows = await knex('access_memberships as m')
    .join('access_groups as g', 'g.id', 'm.group_id')
    .leftJoin('access_group_zones as gz', (j) => j.on('gz.group_id', '=', 'g.id').andOn('gz.zone_id', '=', knex.raw('?', [zoneId])))
    .where('m.cardholder_id', cardholderId)
    .select('m.group_id', 'm.valid_from', 'm.valid_until', 'g.schedule_id', 'gz.zone_id as opens');
  const schedules = await loadSchedules(knex, [...new Set(rows.map((r: any) => r.schedule_id).filter(Boolean))] as string[]);
  return rows.map((r: any) => ({
    groupId: r.group_id,
    validFrom: r.valid_from ? new Date(r.valid_from) : null,
    validUntil: r.valid_until ? new Date(r.valid_until) : null,
    schedule: r.schedule_id ? (schedules.find((s) => s.id === r.schedule_id) ?? null) : null,
    opensZone: Boolean(r.opens),
  }));
}
