import { expect } from 'chai';
import { migrateDown, migrateLatest, openDatabase } from '../../../shared/db/index.js';
import { createTestDatabase, onPostgres, type TestDatabase } from '../../support/test-database.js';
import { startTestPlatform, type TestPlatform } from '../../support/test-platform.js';
import { TcpProxy } from '../../support/tcp-proxy.js';

async function poll(url: string, status: number, timeoutMs = 10_000): Promise<Response> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const response = await fetch(url);
    if (response.status === status || Date.now() > deadline) return response;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('readiness (/readyz) and liveness (/healthz)', () => {
  let db: TestDatabase;
  let t: TestPlatform;
  before(async () => {
    db = await createTestDatabase({ migrate: false });
    t = await startTestPlatform({ db });
  });
  after(async () => {
    await t.close();
    await db.dispose();
  });

  it('is 503 while migrations are pending, 200 once they are applied, 503 again after a rollback', async () => {
    const before = await fetch(`${t.baseUrl}/readyz`);
    expect(before.status).to.equal(503);
    expect(await before.json()).to.deep.include({ code: 'ERR_SERVICE_UNAVAILABLE' });
    await migrateLatest(db);
    const after = await fetch(`${t.baseUrl}/readyz`);
    expect(after.status).to.equal(200);
    expect(await after.json()).to.deep.equal({ status: 'ready', checks: { database: 'ok', migrations: 'current' } });
    await migrateDown(db);
    expect((await fetch(`${t.baseUrl}/readyz`)).status).to.equal(503);
    await migrateLatest(db);
  });

  it('liveness does not depend on the database', async () => {
    expect((await fetch(`${t.baseUrl}/healthz`)).status).to.equal(200);
  });
});

describe('readiness when PostgreSQL goes away and comes back', function () {
  let db: TestDatabase;
  let proxy: TcpProxy;
  let t: TestPlatform;
  let viaProxy: ReturnType<typeof openDatabase>;

  before(async function () {
    if (!onPostgres) {
      // The embedded database lives inside this process and cannot drop away; the PostgreSQL run covers this.
      this.skip();
    }
    db = await createTestDatabase();
    const target = new URL(db.url!);
    proxy = new TcpProxy({ host: target.hostname, port: Number(target.port || 5432) });
    await proxy.open();
    const proxied = new URL(db.url!);
    proxied.hostname = '127.0.0.1';
    proxied.port = String(proxy.port);
    viaProxy = openDatabase({ databaseUrl: proxied.toString(), poolMax: 2 });
    t = await startTestPlatform({ db: viaProxy });
  });
  after(async () => {
    await t?.close();
    await viaProxy?.close();
    await proxy?.cut();
    await db?.dispose();
  });

  it('turns 503 while the database is unreachable and 200 when it returns, with liveness 200 throughout', async () => {
    expect((await fetch(`${t.baseUrl}/readyz`)).status).to.equal(200);
    await proxy.cut();
    const down = await poll(`${t.baseUrl}/readyz`, 503);
    expect(down.status).to.equal(503);
    expect(await down.json()).to.deep.include({ checks: { database: 'unreachable' } });
    expect((await fetch(`${t.baseUrl}/healthz`)).status).to.equal(200);
    await proxy.open();
    const up = await poll(`${t.baseUrl}/readyz`, 200);
    expect(up.status).to.equal(200);
  });
});
