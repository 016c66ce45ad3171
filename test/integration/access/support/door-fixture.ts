import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import type { AccessHost } from './access-host.js';

export interface DoorFixture {
  readonly siteId: string;
  readonly zoneId: string;
  readonly doorId: string;
  readonly entryReader: string;
  readonly exitReader: string;
}

/** A fresh site with one zone and one door that has an entry and an exit reader. */
export async function doorFixture(host: AccessHost, zone: { requiresPin?: boolean; antiPassback?: 'off' | 'soft' | 'hard' } = {}, door: { requiresPin?: boolean } = {}): Promise<DoorFixture> {
  const m = host.manager;
  const site = await m.post('/v1/access/sites', { name: `Site ${randomUUID()}` });
  const z = await m.post('/v1/access/zones', { siteId: site.body.id, name: 'Zone', ...zone });
  const entryReader = randomUUID();
  const exitReader = randomUUID();
  const d = await m.post('/v1/access/doors', {
    zoneId: z.body.id,
    name: 'Door',
    ...door,
    readers: [{ readerId: entryReader, direction: 'entry' }, { readerId: exitReader, direction: 'exit' }],
  });
  expect(d.status, JSON.stringify(d.body)).to.equal(201);
  return { siteId: site.body.id, zoneId: z.body.id, doorId: d.body.id, entryReader, exitReader };
}

/** A group opening the zones, with an optional schedule; returns its id. */
export async function groupFor(host: AccessHost, zoneIds: string[], extra: Record<string, unknown> = {}): Promise<string> {
  const g = await host.manager.post('/v1/access/groups', { name: `Group ${randomUUID()}`, zoneIds, ...extra });
  expect(g.status, JSON.stringify(g.body)).to.equal(201);
  return g.body.id as string;
}

export async function join(host: AccessHost, groupId: string, cardholderId: string, window: Record<string, string> = {}): Promise<void> {
  const r = await host.manager.put(`/v1/access/groups/${groupId}/members/${cardholderId}`, window);
  expect(r.status, JSON.stringify(r.body)).to.equal(200);
}
