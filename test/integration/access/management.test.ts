import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { clientAs } from '../../support/test-auth.js';
import { enrolWithCard, startAccessHost, type AccessHost } from './support/access-host.js';

describe('access management API', () => {
  let host: AccessHost;
  before(async function () {
    this.timeout(120_000); // the first suite of a run migrates the shared PGlite database
    host = await startAccessHost();
  });
  after(() => host.close());

  it('builds a site, zone and door bound to readers, and refuses a reader bound twice', async () => {
    const m = host.manager;
    const site = await m.post('/v1/access/sites', { name: `Depot ${randomUUID()}` });
    expect(site.status).to.equal(201);
    const zone = await m.post('/v1/access/zones', { siteId: site.body.id, name: 'Yard', antiPassback: 'soft' });
    expect(zone.status).to.equal(201);
    expect(zone.body).to.include({ antiPassback: 'soft', requiresPin: false });
    const entry = randomUUID();
    const door = await m.post('/v1/access/doors', { zoneId: zone.body.id, name: 'Gate', readers: [{ readerId: entry, direction: 'entry' }] });
    expect(door.status).to.equal(201);
    expect(door.body.readers).to.deep.equal([{ readerId: entry, direction: 'entry' }]);
    const exit = randomUUID();
    const bound = await m.post(`/v1/access/doors/${door.body.id}/readers`, { readerId: exit, direction: 'exit' });
    expect(bound.body.readers).to.have.length(2);
    const again = await m.post('/v1/access/doors', { zoneId: zone.body.id, name: 'Side gate', readers: [{ readerId: entry, direction: 'entry' }] });
    expect(again.status).to.equal(409);
    expect(again.body.code).to.equal('ERR_ACCESS_READER_BOUND');
    const unbound = await m.delete(`/v1/access/doors/${door.body.id}/readers/${exit}`);
    expect(unbound.body.readers).to.have.length(1);
    const zones = await m.get(`/v1/access/zones?siteId=${site.body.id}`);
    expect(zones.body.zones.map((z: any) => z.name)).to.deep.equal(['Yard']);
  });

  it('refuses management to other roles and to anonymous callers', async () => {
    expect((await clientAs(host.platform.baseUrl, 'reception').get('/v1/access/sites')).status).to.equal(403);
    expect((await clientAs(host.platform.baseUrl, undefined).get('/v1/access/sites')).status).to.equal(401);
  });

  it('keeps schedules in local wall time with holidays', async () => {
    const m = host.manager;
    const created = await m.post('/v1/access/schedules', {
      name: `Hours ${randomUUID()}`,
      intervals: [{ day: 'mon', start: '08:00', end: '24:00' }, { day: 'holiday', start: '10:00', end: '12:00' }],
      holidays: [{ date: '2026-12-25', name: 'Christmas Day' }],
    });
    expect(created.status).to.equal(201);
    expect(created.body.intervals).to.deep.include({ day: 'mon', start: '08:00', end: '24:00' });
    const withHoliday = await m.put(`/v1/access/schedules/${created.body.id}/holidays/2026-12-28`, { name: 'Boxing Day (substitute)' });
    expect(withHoliday.body.holidays.map((h: any) => h.date)).to.deep.equal(['2026-12-25', '2026-12-28']);
    const backwards = await m.post('/v1/access/schedules', { name: `Bad ${randomUUID()}`, intervals: [{ day: 'mon', start: '18:00', end: '08:00' }] });
    expect(backwards.status).to.equal(422);
  });

  // Found by the API fuzz (test/integration/platform/api-fuzz.test.ts): each was a 500 from the database.
  it('refuses impossible holiday dates and NUL characters with 400, not a 500 from the database', async () => {
    const m = host.manager;
    const created = await m.post('/v1/access/schedules', { name: `Hours ${randomUUID()}`, intervals: [] });
    expect(created.status).to.equal(201);
    for (const date of ['2023-02-29', '2026-13-01', '0000-01-01']) {
      for (const answer of [
        await m.post('/v1/access/schedules', { name: `Hours ${randomUUID()}`, intervals: [], holidays: [{ date }] }),
        await m.put(`/v1/access/schedules/${created.body.id}/holidays/${date}`, {}),
        await m.delete(`/v1/access/schedules/${created.body.id}/holidays/${date}`),
      ]) {
        expect(answer.status, date).to.equal(400);
        expect(answer.body.code).to.equal('ERR_VALIDATION');
      }
    }
    const nul = await m.post('/v1/access/schedules', { name: 'Night\u0000shift', intervals: [] });
    expect(nul.status).to.equal(400);
    expect(nul.body.errors).to.deep.include({ in: 'body', pointer: '/name', message: 'must not contain the NUL character (U+0000)' });
  });

  // Found by the API fuzz: the reason went into the audit record's jsonb, which refuses an unpaired surrogate, a 500.
  it('refuses a lockdown reason that is not well-formed Unicode with 400, and leaves the site unlocked', async () => {
    const site = await host.manager.post('/v1/access/sites', { name: `Depot ${randomUUID()}` });
    const locked = await host.manager.post(`/v1/access/sites/${site.body.id}/lockdown`, { overrideGroupIds: [], reason: 'drill \udfff\ud800' });
    expect(locked.status).to.equal(400);
    expect(locked.body.errors).to.deep.include({ in: 'body', pointer: '/reason', message: 'must be well-formed Unicode (an unpaired surrogate is not a character)' });
    const fine = await host.manager.post(`/v1/access/sites/${site.body.id}/lockdown`, { overrideGroupIds: [], reason: 'drill 🚨' });
    expect(fine.status).to.equal(201);
  });

  it('adds cardholders to groups with an optional window, audited, and refuses unknown cardholders', async () => {
    const m = host.manager;
    const group = await m.post('/v1/access/groups', { name: `Contractors ${randomUUID()}` });
    expect(group.status).to.equal(201);
    const { cardholderId } = await enrolWithCard(host.db.knex);
    const put = await m.put(`/v1/access/groups/${group.body.id}/members/${cardholderId}`, { validUntil: '2026-07-01T17:00:00Z', note: 'roofers' });
    expect(put.status).to.equal(200);
    expect(put.body).to.include({ cardholderId, validUntil: '2026-07-01T17:00:00.000Z' });
    const audit = await host.db.knex('audit_events').where({ action: 'access.membership-put', subject_id: cardholderId }).first();
    expect(audit).to.not.equal(undefined);
    const mine = await m.get(`/v1/access/cardholders/${cardholderId}/memberships`);
    expect(mine.body.memberships).to.have.length(1);
    const unknown = await m.put(`/v1/access/groups/${group.body.id}/members/${randomUUID()}`, {});
    expect(unknown.status).to.equal(404);
    expect((await m.delete(`/v1/access/groups/${group.body.id}/members/${cardholderId}`)).status).to.equal(204);
    expect((await m.get(`/v1/access/groups/${group.body.id}/members`)).body.memberships).to.deep.equal([]);
  });
});
