/**
 * What one door decision costs the access module: decide(door.open) for a member of 3 groups
 * (one with an office-hours schedule and holidays) at a door of a zone with and without hard
 * anti-passback, among 2,000 cardholders, against the floor of one `select 1` round trip on the
 * same database. Each decision also writes its door event.
 * Run: npx tsx bench/access-decide.ts   (DATABASE_URL=... for PostgreSQL; PGlite otherwise)
 * Last line: RESULT {...}. Target: median well inside the purpose's 500 ms time budget.
 */
import { randomUUID } from 'node:crypto';
import { loadavg } from 'node:os';
import { createLogger } from '../shared/logging/index.js';
import type { ModuleTapContext } from '../shared/modules/index.js';
import { accessModule } from '../services/modules/access/index.js';
import { createGroup, putMembership } from '../services/modules/access/groups/group-store.js';
import { createSchedule } from '../services/modules/access/groups/schedule-store.js';
import { createDoor, createSite, createZone } from '../services/modules/access/places/place-store.js';
import { createTestDatabase } from '../test/support/test-database.js';
import { testConfig } from '../test/support/test-config.js';

const HOLDERS = 2_000;
const ROUNDS = 400;
const WARMUP = 50;
const at = new Date('2026-07-01T09:00:00Z');

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

async function measure(label: string, work: (i: number) => Promise<unknown>) {
  for (let i = 0; i < WARMUP; i++) await work(i);
  const samples: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const start = process.hrtime.bigint();
    await work(i);
    samples.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  samples.sort((a, b) => a - b);
  const result = { medianMs: percentile(samples, 50), p99Ms: percentile(samples, 99) };
  process.stdout.write(`${label.padEnd(40)} median ${result.medianMs.toFixed(2).padStart(7)} ms   p99 ${result.p99Ms.toFixed(2).padStart(7)} ms\n`);
  return result;
}

const db = await createTestDatabase({ migrations: { extraDirectories: [accessModule.migrationsDirectory!] } });
try {
  const knex = db.knex;
  const ctx: ModuleTapContext = { module: 'access', knex, logger: createLogger('silent'), now: () => at, timeZone: 'Europe/London', config: testConfig(), signal: new AbortController().signal } as ModuleTapContext;
  const site = await createSite(knex, { name: 'Bench' }, at);
  const plain = await createZone(knex, { siteId: site.id, name: 'Plain' }, at);
  const guarded = await createZone(knex, { siteId: site.id, name: 'Guarded', antiPassback: 'hard' }, at);
  const plainReader = randomUUID();
  const entryReader = randomUUID();
  const exitReader = randomUUID();
  await createDoor(knex, { zoneId: plain.id, name: 'A', readers: [{ readerId: plainReader, direction: 'entry' }] }, at);
  await createDoor(knex, { zoneId: guarded.id, name: 'B', readers: [{ readerId: entryReader, direction: 'entry' }, { readerId: exitReader, direction: 'exit' }] }, at);
  const hours = await createSchedule(knex, { name: 'Hours', intervals: ['mon', 'tue', 'wed', 'thu', 'fri'].map((day) => ({ day: day as 'mon', start: '07:00', end: '19:00' })), holidays: [{ date: '2026-12-25' }] }, at);
  const groups = [
    await createGroup(knex, { name: 'Staff', scheduleId: hours.id, zoneIds: [plain.id, guarded.id] }, at),
    await createGroup(knex, { name: 'Other', zoneIds: [] }, at),
    await createGroup(knex, { name: 'Emergency', emergency: true }, at),
  ];
  const holders: { cardholderId: string; cardId: string }[] = [];
  for (let i = 0; i < HOLDERS; i++) {
    const cardholderId = randomUUID();
    const cardId = randomUUID();
    await knex('cardholders').insert({ id: cardholderId, reference: `B-${i}`, given_name: 'Bench', family_name: `${i}`, kind: 'staff' });
    await knex('cards').insert({ id: cardId, cardholder_id: cardholderId, status: 'active', algorithm: 'p256', expires_at: new Date('2030-01-01T00:00:00Z') });
    for (const g of groups) await putMembership(knex, { groupId: g.id, cardholderId }, at);
    holders.push({ cardholderId, cardId });
  }
  const tap = (readerId: string, i: number) => ({
    id: randomUUID(), purpose: 'door.open', target: 'door', at, assurance: 'card' as const,
    reader: { id: readerId, name: 'bench', kind: 'door', site: 'Bench', location: '' },
    credential: { kind: 'platform' as const, ...holders[i % HOLDERS]!, cardholderReference: null },
    payload: new Uint8Array(),
  });
  const floor = await measure('select 1 (floor)', () => knex.raw('select 1'));
  const open = await measure('decide door.open (no anti-passback)', (i) => accessModule.decide(tap(plainReader, i), ctx));
  const guardedResult = await measure('decide door.open (hard anti-passback)', (i) => accessModule.decide(tap(i % 2 === 0 ? entryReader : exitReader, Math.floor(i / 2)), ctx));
  const result = {
    database: db.url ? 'postgresql' : 'pglite',
    holders: HOLDERS,
    rounds: ROUNDS,
    floorMedianMs: floor.medianMs,
    decideMedianMs: open.medianMs,
    decideP99Ms: open.p99Ms,
    antiPassbackMedianMs: guardedResult.medianMs,
    antiPassbackP99Ms: guardedResult.p99Ms,
    ratioToFloor: Number((open.medianMs / floor.medianMs).toFixed(1)),
    loadAverage: loadavg()[0],
  };
  console.log(`RESULT ${JSON.stringify(result)}`);
} finally {
  await db.dispose();
}
