import { expect } from 'chai';
import type { JWK } from 'jose';
import { decideOffline, verifyAllowList } from '../../../services/modules/access/index.js';
import { enrolWithCard, startAccessHost, type AccessHost } from './support/access-host.js';
import { recordCardCertificate } from './support/card-certificates.js';
import { doorFixture, groupFor, join } from './support/door-fixture.js';

const WED_10_BST = new Date('2026-07-01T09:00:00Z');

describe('access offline allow-list', () => {
  let host: AccessHost;
  before(async function () {
    this.timeout(120_000); // the first suite of a run migrates the shared PGlite database
    host = await startAccessHost();
  });
  after(() => host.close());

  async function fetchList(readerId: string) {
    host.setNow(WED_10_BST);
    const got = await host.reader(readerId).get('/v1/access/allow-list');
    expect(got.status, JSON.stringify(got.body)).to.equal(200);
    const keys = (await fetch(`${host.platform.baseUrl}/v1/access/allow-list/keys`).then((r) => r.json())) as { keys: JWK[] };
    return { jws: got.body.allowList as string, keys, list: await verifyAllowList(got.body.allowList, keys, readerId) };
  }

  it('signs a list of the door that decides offline like the platform, and refuses lists it cannot verify', async () => {
    const door = await doorFixture(host);
    const staff = await enrolWithCard(host.db.knex);
    const cak = await recordCardCertificate(host.db.knex, staff.cardId, '9E');
    await join(host, await groupFor(host, [door.zoneId]), staff.cardholderId);
    const { jws, keys, list } = await fetchList(door.entryReader);
    expect(list.door).to.include({ id: door.doorId, requiresPin: false });
    expect(list.credentials.map((c) => c.fingerprint)).to.deep.equal([cak.fingerprint]);
    expect(decideOffline(list, { fingerprint: cak.fingerprint, slot: '9E' }, WED_10_BST).verdict).to.deep.equal({ decision: 'granted', reason: 'ok' });
    expect(decideOffline(list, { fingerprint: 'ff'.repeat(32), slot: '9E' }, WED_10_BST).verdict.reason).to.equal('unknown_cardholder');
    // Slot 9A certificate presented at a 9E entry: not a credential this list knows.
    expect(decideOffline(list, { fingerprint: cak.fingerprint, slot: '9A' }, WED_10_BST).verdict.decision).to.equal('denied');
    await expectRejected(verifyAllowList(jws, keys, door.exitReader), /another reader/);
    const [h, p, s] = jws.split('.');
    const tampered = `${h}.${p}.${s!.slice(0, -4)}AAAA`;
    await expectRejected(verifyAllowList(tampered, keys, door.entryReader), /signature/i);
    expect(Buffer.from(p!, 'base64url').toString()).to.not.match(/private|sealed/);
  });

  it('denies a revoked card offline after the next sync, within the configured refresh bound', async () => {
    const door = await doorFixture(host);
    const staff = await enrolWithCard(host.db.knex);
    const cak = await recordCardCertificate(host.db.knex, staff.cardId, '9E');
    await join(host, await groupFor(host, [door.zoneId]), staff.cardholderId);
    const policy = await host.manager.put('/v1/access/offline-policy', { refreshSeconds: 30, validitySeconds: 3600 });
    expect(policy.body).to.deep.equal({ refreshSeconds: 30, validitySeconds: 3600 });
    const before = (await fetchList(door.entryReader)).list;
    expect(before.refreshSeconds).to.equal(30);
    await host.db.knex('cards').where({ id: staff.cardId }).update({ status: 'revoked', revocation_reason: 'lost' });
    await host.db.knex('pki_certificates').where({ card_id: staff.cardId }).update({ status: 'revoked', revoked_at: WED_10_BST, revocation_reason: 'keyCompromise' });
    const after = (await fetchList(door.entryReader)).list;
    expect(after.revoked).to.include(cak.fingerprint);
    expect(after.credentials).to.deep.equal([]);
    expect(decideOffline(after, { fingerprint: cak.fingerprint, slot: '9E' }, WED_10_BST).verdict).to.deep.equal({ decision: 'denied', reason: 'card_not_active' });
  });

  it('fails closed past its expiry for everyone but the emergency groups', async () => {
    const door = await doorFixture(host);
    const staff = await enrolWithCard(host.db.knex);
    const responder = await enrolWithCard(host.db.knex);
    const staffKey = await recordCardCertificate(host.db.knex, staff.cardId, '9E');
    const responderKey = await recordCardCertificate(host.db.knex, responder.cardId, '9E');
    await join(host, await groupFor(host, [door.zoneId]), staff.cardholderId);
    await join(host, await groupFor(host, [], { emergency: true }), responder.cardholderId);
    await host.manager.put('/v1/access/offline-policy', { refreshSeconds: 60, validitySeconds: 3600 });
    const { list } = await fetchList(door.entryReader);
    const late = new Date(Date.parse(list.expiresAt) + 1000);
    expect(decideOffline(list, { fingerprint: staffKey.fingerprint, slot: '9E' }, WED_10_BST).verdict.decision).to.equal('granted');
    expect(decideOffline(list, { fingerprint: staffKey.fingerprint, slot: '9E' }, late).verdict).to.deep.equal({ decision: 'denied', reason: 'allow_list_expired' });
    expect(decideOffline(list, { fingerprint: responderKey.fingerprint, slot: '9E' }, late).verdict.decision).to.equal('granted');
    // Before expiry the emergency group is no door group: it opens no zone here.
    expect(decideOffline(list, { fingerprint: responderKey.fingerprint, slot: '9E' }, WED_10_BST).verdict.reason).to.equal('not_in_group');
  });

  it('carries lockdowns, schedules and card-and-PIN doors into the offline decision', async () => {
    const door = await doorFixture(host, {}, { requiresPin: true });
    const staff = await enrolWithCard(host.db.knex);
    const piv = await recordCardCertificate(host.db.knex, staff.cardId, '9A');
    await host.manager.put('/v1/access/offline-policy', { refreshSeconds: 60, validitySeconds: 86_400 });
    const schedule = await host.manager.post('/v1/access/schedules', { name: `Wed ${Date.now()}-${Math.random()}`, intervals: [{ day: 'wed', start: '08:00', end: '12:00' }] });
    await join(host, await groupFor(host, [door.zoneId], { scheduleId: schedule.body.id }), staff.cardholderId);
    let { list } = await fetchList(door.entryReader);
    expect(decideOffline(list, { fingerprint: piv.fingerprint, slot: '9A' }, WED_10_BST).verdict.reason).to.equal('ok');
    expect(decideOffline(list, { fingerprint: piv.fingerprint, slot: '9A' }, new Date('2026-07-01T12:30:00Z')).verdict.reason).to.equal('outside_schedule');
    await host.manager.post(`/v1/access/zones/${door.zoneId}/lockdown`, { overrideGroupIds: [] });
    ({ list } = await fetchList(door.entryReader));
    expect(decideOffline(list, { fingerprint: piv.fingerprint, slot: '9A' }, WED_10_BST).verdict.reason).to.equal('locked_down');
  });
});

async function expectRejected(promise: Promise<unknown>, pattern: RegExp): Promise<void> {
  try {
    await promise;
  } catch (err) {
    expect(String((err as Error).message)).to.match(pattern);
    return;
  }
  expect.fail('expected a rejection');
}
