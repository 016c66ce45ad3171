import type { Knex } from 'knex';

export interface VersionGroup {
  readonly firmwareVersion: string | null;
  readonly configVersion: string | null;
  readonly readers: number;
  readonly online: number;
  readonly offline: number;
  readonly flagged: number;
}

/**
 * Active readers grouped by the firmware and configuration they last reported, with how many
 * of each are online: a bad upgrade shows as one version whose readers all went offline.
 */
export async function readerVersionSummary(q: Knex, now: Date, offlineAfterSeconds: number): Promise<VersionGroup[]> {
  const since = new Date(now.getTime() - offlineAfterSeconds * 1000);
  const rows = await q('readers')
    .where({ status: 'active' })
    .groupBy('firmware_version', 'config_version')
    .orderBy([{ column: 'firmware_version' }, { column: 'config_version' }])
    .select(
      'firmware_version',
      'config_version',
      q.raw('count(*)::int as readers'),
      q.raw('count(*) filter (where last_heartbeat_at >= ?)::int as online', [since]),
      q.raw('count(*) filter (where flagged_at is not null)::int as flagged'),
    );
  return rows.map((row: Record<string, unknown>) => ({
    firmwareVersion: (row.firmware_version as string | null) ?? null,
    configVersion: (row.config_version as string | null) ?? null,
    readers: Number(row.readers),
    online: Number(row.online),
    offline: Number(row.readers) - Number(row.online),
    flagged: Number(row.flagged),
  }));
}
