import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { appendAudit, type AuditActor } from '../../../../shared/audit/index.js';
import { TesseraError } from '../../../../shared/errors/index.js';
import type { ActiveLockdown } from '../rules/door-rules.js';

export type LockdownScope = { readonly siteId: string } | { readonly zoneId: string };

export interface Lockdown {
  readonly id: string;
  readonly siteId: string | null;
  readonly zoneId: string | null;
  readonly overrideGroupIds: readonly string[];
  readonly reason: string;
  readonly startedAt: string;
  readonly startedBy: string;
  readonly liftedAt: string | null;
  readonly liftedBy: string | null;
}

/** Locks a site or zone down: from now only the named override groups pass. Audited with the change. */
export async function startLockdown(
  knex: Knex,
  input: { scope: LockdownScope; overrideGroupIds: readonly string[]; reason: string; actor: AuditActor },
  now: Date,
): Promise<Lockdown> {
  const id = randomUUID();
  const siteId = 'siteId' in input.scope ? input.scope.siteId : null;
  const zoneId = 'zoneId' in input.scope ? input.scope.zoneId : null;
  await knex.transaction(async (trx) => {
    const table = siteId ? 'access_sites' : 'access_zones';
    if (!(await trx(table).where({ id: siteId ?? zoneId }).first('id'))) throw new TesseraError('ERR_ACCESS_NOT_FOUND', `No ${siteId ? 'site' : 'zone'} ${siteId ?? zoneId}`);
    const groups = input.overrideGroupIds.length ? await trx('access_groups').whereIn('id', input.overrideGroupIds).select('id') : [];
    if (groups.length !== new Set(input.overrideGroupIds).size) throw new TesseraError('ERR_ACCESS_NOT_FOUND', 'An override group does not exist');
    // The partial unique index refuses a second active lockdown even from a concurrent request.
    const inserted = await trx('access_lockdowns')
      .insert({ id, site_id: siteId, zone_id: zoneId, override_group_ids: JSON.stringify(input.overrideGroupIds), reason: input.reason, started_at: now, started_by: actorName(input.actor) })
      .onConflict()
      .ignore()
      .returning('id');
    if (inserted.length === 0) throw new TesseraError('ERR_ACCESS_LOCKDOWN_ACTIVE', `The ${siteId ? 'site' : 'zone'} is already locked down`);
    await appendAudit(trx, {
      actor: input.actor,
      action: 'access.lockdown-start',
      subject: { kind: siteId ? 'access-site' : 'access-zone', id: siteId ?? zoneId },
      details: { lockdownId: id, overrideGroupIds: [...input.overrideGroupIds], reason: input.reason },
      at: now,
    });
  });
  return lockdownById(knex, id);
}

/** Lifts the active lockdown of a site or zone: normal rules apply again. Audited with the change. */
export async function liftLockdown(knex: Knex, input: { scope: LockdownScope; actor: AuditActor }, now: Date): Promise<Lockdown> {
  const where = 'siteId' in input.scope ? { site_id: input.scope.siteId } : { zone_id: input.scope.zoneId };
  let id = '';
  await knex.transaction(async (trx) => {
    const lifted = await trx('access_lockdowns').where(where).whereNull('lifted_at').update({ lifted_at: now, lifted_by: actorName(input.actor) }).returning('id');
    const row = lifted[0] as { id: string } | undefined;
    if (!row) throw new TesseraError('ERR_ACCESS_NO_LOCKDOWN', 'Nothing to lift: no active lockdown');
    id = row.id;
    await appendAudit(trx, {
      actor: input.actor,
      action: 'access.lockdown-lift',
      subject: { kind: 'siteId' in input.scope ? 'access-site' : 'access-zone', id: Object.values(where)[0] ?? null },
      details: { lockdownId: id },
      at: now,
    });
  });
  return lockdownById(knex, id);
}

export async function listLockdowns(knex: Knex, options: { activeOnly: boolean }): Promise<Lockdown[]> {
  const q = knex('access_lockdowns').orderBy('started_at', 'desc').limit(500);
  if (options.activeOnly) q.whereNull('lifted_at');
  return (await q).map(fromRow);
}

/** The lockdowns in force over a door in this zone (its site's and its own). */
export async function lockdownsOver(knex: Knex, zone: { id: string; siteId: string }): Promise<ActiveLockdown[]> {
  const rows = await knex('access_lockdowns')
    .whereNull('lifted_at')
    .where((q) => q.where({ site_id: zone.siteId }).orWhere({ zone_id: zone.id }))
    .select('site_id', 'override_group_ids');
  return rows.map((r: any) => ({ scope: r.site_id ? 'site' : 'zone', overrideGroupIds: parseIds(r.override_group_ids) }));
}

async function lockdownById(knex: Knex, id: string): Promise<Lockdown> {
  return fromRow(await knex('access_lockdowns').where({ id }).first());
}

function fromRow(r: any): Lockdown {
  const iso = (v: unknown) => (v ? new Date(v as string).toISOString() : null);
  return {
    id: r.id,
    siteId: r.site_id,
    zoneId: r.zone_id,
    overrideGroupIds: parseIds(r.override_group_ids),
    reason: r.reason,
    startedAt: new Date(r.started_at).toISOString(),
    startedBy: r.started_by,
    liftedAt: iso(r.lifted_at),
    liftedBy: r.lifted_by,
  };
}

const parseIds = (v: unknown): string[] => (typeof v === 'string' ? JSON.parse(v) : (v as string[]));
const actorName = (actor: AuditActor) => `${actor.kind}:${actor.id ?? ''}`;
