import { expect } from 'chai';
import { accessModule } from '../../../services/modules/access/index.js';
import { sharedTestDatabase } from '../../support/test-database.js';
import { tapEnvironment, type TapEnvironment } from '../auth/tap-fixture.js';
import { jsonClient } from './support/access-host.js';

/** Through the real tap path: the auth service authenticates the (software) card and routes door.open / door.open-pin here. */
describe('access through the tap path', function () {
  this.timeout(120_000);
  let env: TapEnvironment;
  let pinReader: Awaited<ReturnType<TapEnvironment['newReader']>>;
  let groupId: string;
  let manager: ReturnType<typeof jsonClient>;

  before(async () => {
    const db = await sharedTestDatabase({ extraDirectories: [accessModule.migrationsDirectory!] });
    env = await tapEnvironment({ db, modules: [accessModule], reader: { kind: 'door', module: 'access' } });
    pinReader = await env.newReader({ kind: 'door', module: 'access' });
    manager = jsonClient(env.p.baseUrl, { 'x-test-role': 'access-manager' });
    const site = await manager.post('/v1/access/sites', { name: `Tap path ${env.reader.id}` });
    const zone = await manager.post('/v1/access/zones', { siteId: site.body.id, name: 'Hall' });
    await manager.post('/v1/access/doors', { zoneId: zone.body.id, name: 'Front', readers: [{ readerId: env.reader.id, direction: 'entry' }] });
    await manager.post('/v1/access/doors', { zoneId: zone.body.id, name: 'Vault', requiresPin: true, readers: [{ readerId: pinReader.id, direction: 'entry' }] });
    groupId = (await manager.post('/v1/access/groups', { name: `Hall ${env.reader.id}`, zoneIds: [zone.body.id] })).body.id;
  });
  after(() => env?.close());

  it('grants door.open to a member with the card alone (slot 9E) and records the tap against the module', async () => {
    const card = await env.issue();
    await manager.put(`/v1/access/groups/${groupId}/members/${card.cardholderId}`, {});
    const result = await env.tap(card, { purpose: 'door.open' });
    expect(result.body).to.include({ decision: 'granted', reason: 'ok' });
    expect(await env.p.t.platform.ctx.db.knex('taps').where({ id: result.tapId }).first()).to.include({ module: 'access', decision: 'granted' });
  });

  it('denies a non-member with not_in_group', async () => {
    const card = await env.issue();
    expect((await env.tap(card, { purpose: 'door.open' })).body).to.include({ decision: 'denied', reason: 'not_in_group' });
  });

  it('asks for card and PIN at a PIN door: door.open is denied, door.open-pin (slot 9A) opens it', async () => {
    const card = await env.issue();
    await manager.put(`/v1/access/groups/${groupId}/members/${card.cardholderId}`, {});
    expect((await env.tap(card, { purpose: 'door.open', via: pinReader })).body).to.include({ decision: 'denied', reason: 'pin_required' });
    expect((await env.tap(card, { purpose: 'door.open-pin', via: pinReader })).body).to.include({ decision: 'granted', reason: 'ok' });
  });
});
