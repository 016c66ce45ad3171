import type { Knex } from 'knex';
import { randomBytes, randomUUID } from 'node:crypto';

/**
 * Writes a tap row as the tap path would have left it, `created` at a chosen moment, for the
 * retention tests (purge by CLI, by schedule, by route) that need taps of known ages. Answered
 * (granted) unless `open`; its challenge expires 30 s after creation unless `expires` says.
 */
export async function insertTapRow(knex: Knex, readerId: string, created: Date, options: { open?: boolean; expires?: Date } = {}): Promise<string> {
  const id = randomUUID();
  await knex('taps').insert({
    id,
    reader_id: readerId,
    purpose: 'identity.verify',
    target: 'Gate A',
    challenge: randomBytes(32),
    created_at: created,
    expires_at: options.expires ?? new Date(created.getTime() + 30_000),
    consumed_at: options.open ? null : new Date(created.getTime() + 2_000),
    decision: options.open ? null : 'granted',
    reason: options.open ? null : 'ok',
  });
  return id;
}

/** A door reader row for those taps to name, registered at `at`; returns its id. */
export async function insertDoorReader(knex: Knex, namePrefix: string, at: Date): Promise<string> {
  const id = randomUUID();
  await knex('readers').insert({ id, name: `${namePrefix}-${id}`, kind: 'door', site: 'Depot', created_at: at, status_changed_at: at });
  return id;
}
