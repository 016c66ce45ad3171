import { expect } from 'chai';
import { sharedTestDatabase, type TestDatabase } from '../../support/test-database.js';
import { clientAs } from '../../support/test-auth.js';
import { ManualClock, readerClient, registerReader, startAuthPlatform, type AuthPlatform } from './auth-fixture.js';

describe('auth: the reader registry, credentials and heartbeats', function () {
  this.timeout(120_000);
  let db: TestDatabase;
  let p: AuthPlatform;
  const clock = new ManualClock();

  before(async () => {
    db = await sharedTestDatabase();
    p = await startAuthPlatform({ db, clock });
  });
  after(() => p.close());

  it('registers a reader with its own credential, shown once, and keeps only its hash', async () => {
    const { reader, credential } = await registerReader(p, { kind: 'door', module: null, target: 'Door 3' });
    expect(credential).to.match(new RegExp(`^tsr1\\.${reader.id}\\.[A-Za-z0-9_-]{43}$`));
    const shown = await p.admin.get(`/v1/readers/${reader.id}`);
    expect(shown.status).to.equal(200);
    expect(shown.body).to.include({ name: reader.name, kind: 'door', target: 'Door 3', status: 'active', online: false, hasCredential: true });
    expect(JSON.stringify(shown.body)).not.to.contain(credential.split('.')[2]);
    const row = await db.knex('readers').where({ id: reader.id }).first();
    expect(Buffer.from(row.credential_hash)).to.have.length(32);
    expect(Buffer.from(row.credential_hash).toString('latin1')).not.to.contain(credential.split('.')[2]);
  });

  it('refuses a duplicate name, and staff without the admin role', async () => {
    const { reader } = await registerReader(p);
    const again = await p.admin.post('/v1/readers', { name: reader.name, kind: 'kiosk', site: 'Elsewhere' });
    expect(again.status).to.equal(409);
    expect(again.body.code).to.equal('ERR_READER_NAME_TAKEN');
    const finance = await clientAs(p.baseUrl, 'finance').post('/v1/readers', { name: 'x-finance', kind: 'kiosk', site: 'S' });
    expect(finance.status).to.equal(403);
  });

  it('lets a reader in with its credential only', async () => {
    const { reader, credential } = await registerReader(p);
    const self = await readerClient(p.baseUrl, credential).get('/v1/readers/self');
    expect(self.status).to.equal(200);
    expect(self.body).to.include({ id: reader.id, name: reader.name, flagged: false });
    expect(self.body.purposes.map((x: { purpose: string }) => x.purpose)).to.include('identity.verify');
    const forged = `${credential.slice(0, -4)}AAAA`;
    const wrong = await readerClient(p.baseUrl, forged).get('/v1/readers/self');
    expect(wrong.status).to.equal(401);
    expect(wrong.body.code).to.equal('ERR_READER_CREDENTIAL_INVALID');
    const garbage = await readerClient(p.baseUrl, 'not-a-credential').get('/v1/readers/self');
    expect(garbage.status).to.equal(401);
    const none = await fetch(`${p.baseUrl}/v1/readers/self`);
    expect(none.status).to.equal(401);
  });

  it('shows a reader online after a heartbeat and offline when heartbeats stop, with its versions', async () => {
    const { reader, credential } = await registerReader(p, { site: `Beat ${Date.now()}` });
    const beat = await readerClient(p.baseUrl, credential).post('/v1/readers/self/heartbeat', { firmwareVersion: 'fw-9.9.1', configVersion: 'cfg-42', agentVersion: '0.1.0' });
    expect(beat.status).to.equal(200);
    expect(beat.body.heartbeatSeconds).to.be.a('number');
    let shown = await p.admin.get(`/v1/readers/${reader.id}`);
    expect(shown.body).to.include({ online: true, firmwareVersion: 'fw-9.9.1', configVersion: 'cfg-42', agentVersion: '0.1.0' });
    const versions = await p.admin.get('/v1/readers/versions');
    const group = versions.body.versions.find((v: { firmwareVersion: string }) => v.firmwareVersion === 'fw-9.9.1');
    expect(group).to.include({ configVersion: 'cfg-42', readers: 1, online: 1, offline: 0 });
    const onlineList = await p.admin.get(`/v1/readers?online=true&firmwareVersion=fw-9.9.1`);
    expect(onlineList.body.items.map((r: { id: string }) => r.id)).to.deep.equal([reader.id]);

    clock.advance(10 * 60_000);
    shown = await p.admin.get(`/v1/readers/${reader.id}`);
    expect(shown.body.online).to.equal(false);
    const after = await p.admin.get('/v1/readers/versions');
    expect(after.body.versions.find((v: { firmwareVersion: string }) => v.firmwareVersion === 'fw-9.9.1')).to.include({ online: 0, offline: 1 });
    const offlineList = await p.admin.get(`/v1/readers?online=false&firmwareVersion=fw-9.9.1`);
    expect(offlineList.body.items.map((r: { id: string }) => r.id)).to.deep.equal([reader.id]);
  });

  it('rotates a credential: the old one stops working at once', async () => {
    const { reader, credential } = await registerReader(p);
    expect((await readerClient(p.baseUrl, credential).get('/v1/readers/self')).status).to.equal(200);
    const rotated = await p.admin.post(`/v1/readers/${reader.id}/credential`);
    expect(rotated.status).to.equal(200);
    expect((await readerClient(p.baseUrl, credential).get('/v1/readers/self')).status).to.equal(401);
    expect((await readerClient(p.baseUrl, rotated.body.credential).get('/v1/readers/self')).status).to.equal(200);
  });

  it('refuses a suspended reader with its reason and audits the attempt; resumes it', async () => {
    const { reader, credential } = await registerReader(p);
    const client = readerClient(p.baseUrl, credential);
    expect((await client.get('/v1/readers/self')).status).to.equal(200);
    expect((await p.admin.post(`/v1/readers/${reader.id}/suspend`)).body.status).to.equal('suspended');
    const refused = await client.get('/v1/readers/self');
    expect(refused.status).to.equal(403);
    expect(refused.body.code).to.equal('ERR_READER_SUSPENDED');
    const audited = await db.knex('audit_events').where({ action: 'tap.rejected', actor_id: reader.id });
    expect(audited.map((r) => r.details.reason)).to.include('reader_suspended');
    expect((await p.admin.post(`/v1/readers/${reader.id}/resume`)).body.status).to.equal('active');
    expect((await client.get('/v1/readers/self')).status).to.equal(200);
  });

  it('revokes a reader for good: its credential is destroyed and it cannot be resumed', async () => {
    const { reader, credential } = await registerReader(p);
    const revoked = await p.admin.post(`/v1/readers/${reader.id}/revoke`);
    expect(revoked.body).to.include({ status: 'revoked', hasCredential: false });
    const refused = await readerClient(p.baseUrl, credential).get('/v1/readers/self');
    expect(refused.status).to.equal(401);
    expect(refused.body.code).to.equal('ERR_READER_REVOKED');
    expect((await p.admin.post(`/v1/readers/${reader.id}/resume`)).status).to.equal(409);
    expect((await p.admin.post(`/v1/readers/${reader.id}/credential`)).status).to.equal(409);
    const actions = (await db.knex('audit_events').where({ subject_id: reader.id }).orderBy('seq')).map((r) => r.action);
    expect(actions).to.include.members(['reader.create', 'reader.revoke']);
  });

  it('holds a revocation on a second platform process that had the reader cached', async () => {
    const second = await startAuthPlatform({ db, clock });
    try {
      const { reader, credential } = await registerReader(p);
      const there = readerClient(second.baseUrl, credential);
      expect((await there.get('/v1/readers/self')).status).to.equal(200);
      expect((await there.get('/v1/readers/self')).status).to.equal(200);
      await p.admin.post(`/v1/readers/${reader.id}/revoke`);
      let status = 0;
      for (let i = 0; i < 50 && status !== 401; i++) {
        status = (await there.get('/v1/readers/self')).status;
        if (status !== 401) await new Promise((resolve) => setTimeout(resolve, 20));
      }
      expect(status).to.equal(401);
    } finally {
      await second.close();
    }
  });
});

describe('auth: per-reader rate limits and flagging', () => {
  let db: TestDatabase;
  let p: AuthPlatform;
  const clock = new ManualClock();

  before(async () => {
    db = await sharedTestDatabase();
    p = await startAuthPlatform({ db, clock, settings: { readerRatePerSecond: 5, readerBurst: 5, strikeLimit: 3 } });
  });
  after(() => p.close());

  it('throttles a flooding reader and flags it, without starving another reader', async () => {
    const flood = await registerReader(p);
    const calm = await registerReader(p);
    const flooding = readerClient(p.baseUrl, flood.credential);
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) statuses.push((await flooding.get('/v1/readers/self')).status);
    expect(statuses.slice(0, 5)).to.deep.equal([200, 200, 200, 200, 200]);
    expect(statuses.slice(5)).to.satisfy((s: number[]) => s.every((x) => x === 429));
    const throttled = await flooding.get('/v1/readers/self');
    expect(throttled.body.code).to.equal('ERR_READER_THROTTLED');
    expect((await readerClient(p.baseUrl, calm.credential).get('/v1/readers/self')).status).to.equal(200);

    const shown = await p.admin.get(`/v1/readers/${flood.reader.id}`);
    expect(shown.body.flaggedAt).to.be.a('string');
    expect(shown.body.flagReason).to.contain('throttled');
    const flagged = await p.admin.get('/v1/readers?flagged=true');
    expect(flagged.body.items.map((r: { id: string }) => r.id)).to.include(flood.reader.id);
    expect((await p.admin.post(`/v1/readers/${flood.reader.id}/clear-flag`)).body.flaggedAt).to.equal(null);
    clock.advance(2000);
    expect((await flooding.get('/v1/readers/self')).status).to.equal(200);
  });
});
