import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { jsonClient, startAccessHost, type AccessHost } from './support/access-host.js';
import { doorFixture } from './support/door-fixture.js';

describe('access door events and alarms', () => {
  let host: AccessHost;
  before(async function () {
    this.timeout(120_000); // the first suite of a run migrates the shared PGlite database
    host = await startAccessHost();
  });
  after(() => host.close());

  it('raises an alarm for a door held open and for a door forced, and an operator acknowledges it (audited)', async () => {
    const door = await doorFixture(host);
    const controller = host.reader(door.entryReader);
    const reported = await controller.post('/v1/access/door-events', {
      events: [
        { key: 'e-1', kind: 'held_open', at: '2026-07-01T09:00:40Z' },
        { key: 'e-2', kind: 'closed', at: '2026-07-01T09:01:00Z' },
        { key: 'e-3', kind: 'forced', at: '2026-07-01T22:00:00Z' },
      ],
    });
    expect(reported.status).to.equal(200);
    expect(reported.body).to.deep.equal({ stored: 3, duplicates: 0 });
    const alarms = (await host.manager.get('/v1/access/alarms')).body.alarms.filter((a: any) => a.doorId === door.doorId);
    expect(alarms.map((a: any) => a.kind)).to.deep.equal(['forced', 'held_open']);
    const ack = await host.manager.post(`/v1/access/alarms/${alarms[0].id}/acknowledge`, { note: 'caretaker checked' });
    expect(ack.status).to.equal(200);
    expect(ack.body.acknowledgedBy).to.equal('staff:test-access-manager');
    const open = (await host.manager.get('/v1/access/alarms')).body.alarms.filter((a: any) => a.doorId === door.doorId);
    expect(open.map((a: any) => a.kind)).to.deep.equal(['held_open']);
    expect(await host.db.knex('audit_events').where({ action: 'access.alarm-acknowledge', subject_id: alarms[0].id }).first()).to.not.equal(undefined);
    const events = await host.manager.get(`/v1/access/door-events?doorId=${door.doorId}`);
    expect(events.body.events.map((e: any) => e.kind)).to.deep.equal(['forced', 'closed', 'held_open']);
  });

  it('stores a retried upload once', async () => {
    const door = await doorFixture(host);
    const controller = host.reader(door.exitReader);
    const batch = { events: [{ key: 'off-1', kind: 'denied', at: '2026-07-01T08:00:00Z', reason: 'not_in_group', offline: true }] };
    expect((await controller.post('/v1/access/door-events', batch)).body).to.deep.equal({ stored: 1, duplicates: 0 });
    expect((await controller.post('/v1/access/door-events', batch)).body).to.deep.equal({ stored: 0, duplicates: 1 });
    const events = await host.manager.get(`/v1/access/door-events?doorId=${door.doorId}`);
    expect(events.body.events).to.have.length(1);
    expect(events.body.events[0]).to.include({ source: 'offline', reason: 'not_in_group' });
  });

  it('refuses events from a reader that controls no door, and from staff', async () => {
    const stranger = host.reader(randomUUID());
    const r = await stranger.post('/v1/access/door-events', { events: [{ key: 'x', kind: 'forced', at: '2026-07-01T08:00:00Z' }] });
    expect(r.status).to.equal(403);
    expect(r.body.code).to.equal('ERR_ACCESS_NOT_A_DOOR_READER');
    const staff = jsonClient(host.platform.baseUrl, { 'x-test-role': 'access-manager' });
    expect((await staff.post('/v1/access/door-events', { events: [{ key: 'x', kind: 'forced', at: '2026-07-01T08:00:00Z' }] })).status).to.equal(403);
  });
});
