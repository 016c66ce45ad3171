import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { TesseraError } from '../../../../shared/errors/index.js';

export interface Group {
  readonly id: string;
  readonly name: string;
  readonly scheduleId: string | null;
  readonly emergency: boolean;
  readonly zoneIds: readonly string[];
}

export interface Membership {
  readonly groupId: string;
  readonly cardholderId: string;
  readonly validFrom: string | null;
  readonly validUntil: string | null;
  readonly note: string;
}

export interface GroupInput {
  readonly name: string;
  readonly scheduleId?: string | null;
  readonly emergency?: boolean;
  readonly zoneIds?: readonly string[];
}

export async function createGroup(knex: Knex, input: GroupInput, now: Date): Promise<Group> {
  const id = randomUUID();
  try {
    await knex.transaction(async (trx) => {
      await trx('access_groups').insert({ id, name: input.name, schedule_id: input.scheduleId ?? null, emergency: input.emergency ?? false, created_at: now });
      for (const zoneId of input.zoneIds ?? []) await trx('access_group_zones').insert({ group_id: id, zone_id: zoneId });
    });
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === '23505') throw new TesseraError('ERR_ACCESS_NAME_TAKEN', `A group named ${input.name} exists`);
    if (code === '23503') throw new TesseraError('ERR_ACCESS_NOT_FOUND', 'The schedule or a zone does not exist');
    throw err;
  }
  return groupById(knex, id);
}

export async function updateGroup(knex: Knex, id: string, change: Partial<GroupInput>): Promise<Group> {
  await groupById(knex, id);
  try {
    await knex.transaction(async (trx) => {
      const patch: Record<string, unknown> = {};
      if (change.name !== undefined) patch.name = change.name;
      if (change.scheduleId !== undefined) patch.schedule_id = change.scheduleId;
      if (change.emergency !== undefined) patch.emergency = change.emergency;
      if (Object.keys(patch).length > 0) await trx('access_groups').where({ id }).update(patch);
      if (change.zoneIds) {
        await trx('access_group_zones').where({ group_id: id }).delete();
        for (const zoneId of change.zoneIds) await trx('access_group_zones').insert({ group_id: id, zone_id: zoneId });
      }
    });
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === '23505') throw new TesseraError('ERR_ACCESS_NAME_TAKEN', `A group named ${change.name} exists`);
    if (code === '23503') throw new TesseraError('ERR_ACCESS_NOT_FOUND', 'The schedule or a zone does not exist');
    throw err;
  }
  return groupById(knex, id);
}

export async function groupById(knex: Knex, id: string): Promise<Group> {
  const [group] = await loadGroups(knex, knex('access_groups').where({ id }));
  if (!group) throw new TesseraError('ERR_ACCESS_NOT_FOUND', `No group ${id}`, { groupId: id });
  return group;
}

export async function listGroups(knex: Knex): Promise<Group[]> {
  return loadGroups(knex, knex('access_groups').orderBy('name'));
}

async function loadGroups(knex: Knex, query: Knex.QueryBuilder): Promise<Group[]> {
  const rows = await query;
  if (rows.length === 0) return [];
  const zones = await knex('access_group_zones').whereIn('group_id', rows.map((r: any) => r.id)).orderBy('zone_id');
  return rows.map((r: any) => ({
    id: r.id,
    name: r.name,
    scheduleId: r.schedule_id,
    emergency: r.emergency,
    zoneIds: zones.filter((z: any) => z.group_id === r.id).map((z: any) => z.zone_id),
  }));
}

/** Adds or replaces a cardholder's membership; `validUntil` makes it temporary access that lapses by itself. */
export async function putMembership(
  trx: Knex,
  input: { groupId: string; cardholderId: string; validFrom?: Date | null; validUntil?: Date | null; note?: string },
  now: Date,
): Promise<Membership> {
  if (input.validFrom && input.validUntil && input.validFrom >= input.validUntil) throw new TesseraError('ERR_ACCESS_INVALID', 'validUntil must be after validFrom');
  const row = {
    group_id: input.groupId,
    cardholder_id: input.cardholderId,
    valid_from: input.validFrom ?? null,
    valid_until: input.validUntil ?? null,
    note: input.note ?? '',
    created_at: now,
  };
  await trx('access_memberships').insert(row).onConflict(['group_id', 'cardholder_id']).merge(['valid_from', 'valid_until', 'note']);
  return membershipFromRow(row);
}

export async function removeMembership(trx: Knex, groupId: string, cardholderId: string): Promise<void> {
  const removed = await trx('access_memberships').where({ group_id: groupId, cardholder_id: cardholderId }).delete();
  if (removed === 0) throw new TesseraError('ERR_ACCESS_NOT_FOUND', `Cardholder ${cardholderId} is not in group ${groupId}`);
}

export async function listMemberships(knex: Knex, filter: { groupId?: string; cardholderId?: string }): Promise<Membership[]> {
  const q = knex('access_memberships').orderBy(['group_id', 'cardholder_id']);
  if (filter.groupId) q.where({ group_id: filter.groupId });
  if (filter.cardholderId) q.where({ cardholder_id: filter.cardholderId });
  return (await q).map(membershipFromRow);
}

function membershipFromRow(r: any): Membership {
  const iso = (v: unknown) => (v ? new Date(v as string).toISOString() : null);
  return { groupId: r.group_id, cardholderId: r.cardholder_id, validFrom: iso(r.valid_from), validUntil: iso(r.valid_until), note: r.note };
}
