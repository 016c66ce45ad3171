import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { accessModule } from '../../../services/modules/access/index.js';
import { decideAt, doorTap, enrolWithCard, startAccessHost, type AccessHost } from './support/access-host.js';
import { doorFixture, groupFor, join } from './support/door-fixture.js';

// 2026-07-01 is a Wednesday; London is on BST (UTC+1).
const WED_10_BST = new Date('2026-07-01T09:00:00Z');

describe('access decide(door.open)', () => {
  let host: AccessHost;
  before(async function () {
    this.timeout(120_000); // the first suite of a run migrates the shared PGlite database
    host = await startAccessHost();
  });
  after(() => host.close());

  it('grants a member of a group of the zone and records the event', async () => {
    const door = await doorFixture(host);
    const holder = await enrolWithCard(host.db.knex);
    await join(host, await groupFor(host, [door.zoneId]), holder.cardholderId);
    const tap = doorTap(door.entryReader, holder, WED_10_BST);
    expect(await decideAt(host, tap)).to.deep.include({ decision: 'granted', reason: 'ok' });
    const event = await host.db.knex('access_door_events').where({ event_key: `tap:${tap.id}` }).first();
    expect(event).to.include({ kind: 'granted', door_id: door.doorId, cardholder_id: holder.cardholderId });
  });

  it('denies a reader that controls no door, and a cardholder in no group of the zone', async () => {
    const door = await doorFixture(host);
    const holder = await enrolWithCard(host.db.knex);
    expect((await decideAt(host, doorTap(randomUUID(), holder, WED_10_BST))).reason).to.equal('not_a_door');
    const other = await doorFixture(host);
    await join(host, await groupFor(host, [other.zoneId]), holder.cardholderId);
    expect(await decideAt(host, doorTap(door.entryReader, holder, WED_10_BST))).to.deep.include({ decision: 'denied', reason: 'not_in_group' });
  });

  it('denies a card that is not active (suspended)', async () => {
    const door = await doorFixture(host);
    const holder = await enrolWithCard(host.db.knex, { cardStatus: 'suspended' });
    await join(host, await groupFor(host, [door.zoneId]), holder.cardholderId);
    expect((await decideAt(host, doorTap(door.entryReader, holder, WED_10_BST))).reason).to.equal('card_not_active');
  });

  it('follows the weekly schedule and its holidays, across the clock changes', async () => {
    const door = await doorFixture(host);
    const holder = await enrolWithCard(host.db.knex);
    const schedule = await host.manager.post('/v1/access/schedules', {
      name: `Sundays ${randomUUID()}`,
      intervals: [{ day: 'sun', start: '01:00', end: '03:00' }, { day: 'wed', start: '08:00', end: '18:00' }],
      holidays: [{ date: '2026-07-08' }],
    });
    await join(host, await groupFor(host, [door.zoneId], { scheduleId: schedule.body.id }), holder.cardholderId);
    const at = async (iso: string) => (await decideAt(host, doorTap(door.entryReader, holder, new Date(iso)))).reason;
    expect(await at('2026-07-01T09:00:00Z')).to.equal('ok'); // Wed 10:00 BST
    expect(await at('2026-07-01T17:30:00Z')).to.equal('outside_schedule'); // Wed 18:30 BST
    expect(await at('2026-07-08T09:00:00Z')).to.equal('outside_schedule'); // a holiday Wednesday
    // Spring, 2026-03-29: at 01:00 GMT the clocks go to 02:00 BST; the Sunday interval is 01:00-03:00 local.
    expect(await at('2026-03-29T00:30:00Z')).to.equal('outside_schedule'); // 00:30 GMT
    expect(await at('2026-03-29T01:00:00Z')).to.equal('ok'); // 02:00 BST
    expect(await at('2026-03-29T02:00:00Z')).to.equal('outside_schedule'); // 03:00 BST
    // Autumn, 2026-10-25: at 02:00 BST the clocks go back to 01:00 GMT, so 01:00-03:00 local lasts three hours.
    expect(await at('2026-10-24T23:30:00Z')).to.equal('outside_schedule'); // 00:30 BST
    expect(await at('2026-10-25T00:00:00Z')).to.equal('ok'); // 01:00 BST
    expect(await at('2026-10-25T01:30:00Z')).to.equal('ok'); // the second 01:30, GMT
    expect(await at('2026-10-25T02:59:00Z')).to.equal('ok'); // 02:59 GMT
    expect(await at('2026-10-25T03:00:00Z')).to.equal('outside_schedule'); // 03:00 GMT
  });

  it('lets temporary access lapse by itself', async () => {
    const door = await doorFixture(host);
    const visitor = await enrolWithCard(host.db.knex);
    await join(host, await groupFor(host, [door.zoneId]), visitor.cardholderId, { validFrom: '2026-07-01T08:00:00Z', validUntil: '2026-07-01T12:00:00Z' });
    expect((await decideAt(host, doorTap(door.entryReader, visitor, WED_10_BST))).decision).to.equal('granted');
    expect((await decideAt(host, doorTap(door.entryReader, visitor, new Date('2026-07-01T12:00:00Z')))).reason).to.equal('access_expired');
  });

  it('asks for card and PIN where the zone or the door requires it', async () => {
    const holder = await enrolWithCard(host.db.knex);
    const pinZone = await doorFixture(host, { requiresPin: true });
    const pinDoor = await doorFixture(host, {}, { requiresPin: true });
    await join(host, await groupFor(host, [pinZone.zoneId, pinDoor.zoneId]), holder.cardholderId);
    for (const door of [pinZone, pinDoor]) {
      expect((await decideAt(host, doorTap(door.entryReader, holder, WED_10_BST, 'card'))).reason).to.equal('pin_required');
      expect((await decideAt(host, doorTap(door.entryReader, holder, WED_10_BST, 'card+pin'))).decision).to.equal('granted');
    }
  });

  it('locks a zone down for everyone but the override groups, audits it, and lifting restores the rules', async () => {
    const door = await doorFixture(host);
    const staff = await enrolWithCard(host.db.knex);
    const responder = await enrolWithCard(host.db.knex);
    await join(host, await groupFor(host, [door.zoneId]), staff.cardholderId);
    const responders = await groupFor(host, []);
    await join(host, responders, responder.cardholderId);
    const locked = await host.manager.post(`/v1/access/zones/${door.zoneId}/lockdown`, { overrideGroupIds: [responders], reason: 'drill' });
    expect(locked.status).to.equal(201);
    expect((await host.manager.post(`/v1/access/zones/${door.zoneId}/lockdown`, { overrideGroupIds: [] })).body.code).to.equal('ERR_ACCESS_LOCKDOWN_ACTIVE');
    expect((await decideAt(host, doorTap(door.entryReader, staff, WED_10_BST))).reason).to.equal('locked_down');
    expect((await decideAt(host, doorTap(door.entryReader, responder, WED_10_BST))).reason).to.equal('lockdown_override');
    const lifted = await host.manager.delete(`/v1/access/zones/${door.zoneId}/lockdown`);
    expect(lifted.status).to.equal(200);
    expect(lifted.body.liftedAt).to.be.a('string');
    expect((await decideAt(host, doorTap(door.entryReader, staff, WED_10_BST))).reason).to.equal('ok');
    expect((await decideAt(host, doorTap(door.entryReader, responder, WED_10_BST))).reason).to.equal('not_in_group');
    const audited = await host.db.knex('audit_events').where({ subject_id: door.zoneId }).orderBy('seq').pluck('action');
    expect(audited).to.deep.equal(['access.lockdown-start', 'access.lockdown-lift']);
  });

  it('locks a whole site down', async () => {
    const door = await doorFixture(host);
    const staff = await enrolWithCard(host.db.knex);
    await join(host, await groupFor(host, [door.zoneId]), staff.cardholderId);
    expect((await host.manager.post(`/v1/access/sites/${door.siteId}/lockdown`, { overrideGroupIds: [] })).status).to.equal(201);
    expect((await decideAt(host, doorTap(door.entryReader, staff, WED_10_BST))).reason).to.equal('locked_down');
    expect((await host.manager.get('/v1/access/lockdowns')).body.lockdowns.some((l: any) => l.siteId === door.siteId)).to.equal(true);
    expect((await host.manager.delete(`/v1/access/sites/${door.siteId}/lockdown`)).status).to.equal(200);
    expect((await host.manager.delete(`/v1/access/sites/${door.siteId}/lockdown`)).body.code).to.equal('ERR_ACCESS_NO_LOCKDOWN');
    expect((await decideAt(host, doorTap(door.entryReader, staff, WED_10_BST))).reason).to.equal('ok');
  });

  it('enforces hard anti-passback with entry and exit readers', async () => {
    const door = await doorFixture(host, { antiPassback: 'hard' });
    const holder = await enrolWithCard(host.db.knex);
    await join(host, await groupFor(host, [door.zoneId]), holder.cardholderId);
    const t = (minute: number) => new Date(WED_10_BST.getTime() + minute * 60_000);
    expect((await decideAt(host, doorTap(door.entryReader, holder, t(0)))).reason).to.equal('ok');
    expect((await decideAt(host, doorTap(door.entryReader, holder, t(1)))).reason).to.equal('anti_passback');
    expect((await decideAt(host, doorTap(door.exitReader, holder, t(2)))).reason).to.equal('ok');
    expect((await decideAt(host, doorTap(door.exitReader, holder, t(3)))).reason).to.equal('anti_passback');
    expect((await decideAt(host, doorTap(door.entryReader, holder, t(4)))).reason).to.equal('ok');
  });

  it('lets only one of two simultaneous entries through under hard anti-passback', async () => {
    const door = await doorFixture(host, { antiPassback: 'hard' });
    const holder = await enrolWithCard(host.db.knex);
    await join(host, await groupFor(host, [door.zoneId]), holder.cardholderId);
    host.setNow(WED_10_BST);
    const ctx = { ...host.ctx, signal: new AbortController().signal };
    const both = await Promise.all([1, 2].map(() => accessModule.decide(doorTap(door.entryReader, holder, WED_10_BST), ctx)));
    expect(both.map((d) => d.reason).sort()).to.deep.equal(['anti_passback', 'ok']);
  });

  it('lets soft anti-passback through but says so', async () => {
    const door = await doorFixture(host, { antiPassback: 'soft' });
    const holder = await enrolWithCard(host.db.knex);
    await join(host, await groupFor(host, [door.zoneId]), holder.cardholderId);
    await decideAt(host, doorTap(door.entryReader, holder, WED_10_BST));
    expect(await decideAt(host, doorTap(door.entryReader, holder, new Date(WED_10_BST.getTime() + 60_000)))).to.deep.include({ decision: 'granted', reason: 'anti_passback_soft' });
  });
});
