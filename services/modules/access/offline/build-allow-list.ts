import type { Knex } from 'knex';
import { CompactSign } from 'jose';
import type { ModuleContext } from '../../../../shared/modules/index.js';
import { TesseraError } from '../../../../shared/errors/index.js';
import { loadSchedules } from '../groups/schedule-store.js';
import { usableCredentials, withdrawnFingerprints } from '../holders/card-register.js';
import { lockdownsOver } from '../lockdown/lockdown-store.js';
import { doorOfReader } from '../places/place-store.js';
import { ALLOW_LIST_ALGORITHM, ALLOW_LIST_TYPE, type AllowList } from './allow-list-format.js';
import { signingKey } from './signing-key.js';

export interface OfflinePolicy {
  readonly refreshSeconds: number;
  readonly validitySeconds: number;
}

export async function offlinePolicy(knex: Knex): Promise<OfflinePolicy> {
  const row = await knex('access_offline_policy').where({ id: 1 }).first();
  return { refreshSeconds: Number(row?.refresh_seconds ?? 60), validitySeconds: Number(row?.validity_seconds ?? 86_400) };
}

/**
 * The allow-list of the door a reader controls: the groups that open its zone, the emergency
 * groups and the override groups of any lockdown in force; their members; those members'
 * usable card keys; and the withdrawn ones.
 */
export async function buildAllowList(ctx: ModuleContext, readerId: string): Promise<AllowList> {
  const place = await doorOfReader(ctx.knex, readerId);
  if (!place) throw new TesseraError('ERR_ACCESS_NOT_A_DOOR_READER', `Reader ${readerId} controls no door`);
  const now = ctx.now();
  const policy = await offlinePolicy(ctx.knex);
  const lockdowns = await lockdownsOver(ctx.knex, place.zone);
  const overrideIds = lockdowns.flatMap((l) => l.overrideGroupIds);
  const groupRows = await ctx.knex('access_groups as g')
    .leftJoin('access_group_zones as gz', (j) => j.on('gz.group_id', '=', 'g.id').andOn('gz.zone_id', '=', ctx.knex.raw('?', [place.zone.id])))
    .where((q) => q.whereNotNull('gz.zone_id').orWhere('g.emergency', true).orWhereIn('g.id', overrideIds))
    .select('g.id', 'g.schedule_id', 'g.emergency', 'gz.zone_id as opens')
    .orderBy('g.id');
  const groups = groupRows.map((g: any) => ({ id: g.id as string, scheduleId: (g.schedule_id ?? null) as string | null, opensZone: Boolean(g.opens), emergency: Boolean(g.emergency) }));
  const memberships = groups.length === 0 ? [] : await ctx.knex('access_memberships').whereIn('group_id', groups.map((g) => g.id))
    .where((q) => q.whereNull('valid_until').orWhere('valid_until', '>', now))
    .orderBy(['cardholder_id', 'group_id']);
  const holderIds = [...new Set(memberships.map((m: any) => m.cardholder_id as string))];
  const iso = (v: unknown) => (v ? new Date(v as string).toISOString() : null);
  return {
    v: 1,
    readerId,
    door: { id: place.door.id, name: place.door.name, zoneId: place.zone.id, requiresPin: place.door.requiresPin || place.zone.requiresPin, heldOpenSeconds: place.door.heldOpenSeconds },
    direction: place.direction,
    antiPassback: place.zone.antiPassback,
    timeZone: ctx.timeZone,
    issuedAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + policy.validitySeconds * 1000).toISOString(),
    refreshSeconds: policy.refreshSeconds,
    lockdowns,
    schedules: await loadSchedules(ctx.knex, [...new Set(groups.flatMap((g) => (g.scheduleId ? [g.scheduleId] : [])))]),
    groups,
    holders: holderIds.map((cardholderId) => ({
      cardholderId,
      memberships: memberships.filter((m: any) => m.cardholder_id === cardholderId).map((m: any) => ({ groupId: m.group_id, validFrom: iso(m.valid_from), validUntil: iso(m.valid_until) })),
    })),
    credentials: (await usableCredentials(ctx.knex, holderIds, now)).map((c) => ({ fingerprint: c.fingerprint, publicKey: c.publicKey, slot: c.slot, cardholderId: c.cardholderId, notAfter: c.notAfter })),
    revoked: await withdrawnFingerprints(ctx.knex, holderIds, now),
  };
}

/** The allow-list signed as a JWS (ES256, compact). */
export async function signAllowList(ctx: ModuleContext, list: AllowList): Promise<string> {
  const key = await signingKey(ctx);
  return new CompactSign(new TextEncoder().encode(JSON.stringify(list)))
    .setProtectedHeader({ alg: ALLOW_LIST_ALGORITHM, typ: ALLOW_LIST_TYPE, kid: key.kid })
    .sign(key.privateKey);
}
