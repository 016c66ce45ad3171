import { Writable } from 'node:stream';
import { expect } from 'chai';
import { ConfigError } from '../../../shared/config/index.js';
import { createLogger } from '../../../shared/logging/index.js';
import { buildApp } from '../../../services/platform/app.js';
import { runDemoSeeders } from '../../../services/platform/seed/run-demo-seeders.js';
import { auditPart, identityService, sessionsPart, staffPart } from '../../../services/identity/identity-service.js';
import { DEMO_STAFF } from '../../../services/identity/staff/demo-staff.js';
import { createTestDatabase, onPostgres, type TestDatabase } from '../../support/test-database.js';
import { testConfig } from '../../support/test-config.js';
import { call, signIn, startIdentity, TEST_KEK } from './identity-fixture.js';

/** Only the staff, sessions and audit parts: this file tests them, not PKI or the card desk. */
const staffIdentity = () => identityService([staffPart, sessionsPart, auditPart]);

describe(`first admin and demo staff (${onPostgres ? 'PostgreSQL' : 'PGlite'})`, () => {
  let db: TestDatabase;
  before(async () => {
    db = await createTestDatabase();
  });
  after(async () => {
    await db?.dispose();
  });

  /** Builds the app as `tessera start` would, logging to a string we can search. */
  async function start(config: Parameters<typeof testConfig>[0]) {
    const lines: string[] = [];
    const sink = new Writable({ write: (chunk: Buffer, _encoding, done) => (lines.push(chunk.toString()), done()) });
    const app = await buildApp({ config: testConfig({ logLevel: 'info', ...config }), db, logger: createLogger('info', sink), services: [staffIdentity()], keyEncryptionKey: TEST_KEK });
    return { app, log: () => lines.join('') };
  }

  it('refuses to start when TESSERA_ADMIN_USERNAME is set without a password and no admin exists', async () => {
    const error = await start({ adminUsername: 'boss' }).then(() => undefined, (e: unknown) => e);
    expect(error).to.be.instanceOf(ConfigError);
    expect((error as ConfigError).problems[0]!.variable).to.equal('TESSERA_ADMIN_PASSWORD');
  });

  it('refuses a first-admin password that breaks the rules, naming the variable but not the value', async () => {
    const error = await start({ adminUsername: 'boss', adminPassword: 'boss' }).then(() => undefined, (e: unknown) => e);
    expect(error).to.be.instanceOf(ConfigError);
    expect((error as ConfigError).message).to.match(/TESSERA_ADMIN_PASSWORD/).and.not.match(/"boss"/);
  });

  it('creates the first admin from configuration, audited, without logging the password', async () => {
    const { log } = await start({ adminUsername: 'boss', adminPassword: 'first-admin-password' });
    expect(log()).to.match(/first admin account created/);
    expect(log()).to.not.include('first-admin-password');
    const row = await db.knex('staff_accounts').where({ username: 'boss' }).first();
    expect(row.roles).to.deep.equal(['admin']);
    const event = await db.knex('audit_events').where({ action: 'staff.create', subject_id: row.id }).first();
    expect([event.actor_kind, event.actor_id]).to.deep.equal(['system', 'identity.first-admin']);
  });

  it('ignores the variables once an admin exists: a later start never resets the password', async () => {
    await start({ adminUsername: 'boss', adminPassword: 'a-different-password' });
    await start({ adminUsername: 'other-boss', adminPassword: 'other-boss-password' });
    expect(await db.knex('staff_accounts').whereRaw(`'admin' = any(roles)`).pluck('username')).to.deep.equal(['boss']);
    const fx = await startIdentity({ db, config: { adminUsername: undefined, adminPassword: undefined } });
    try {
      await signIn(fx.baseUrl, 'boss', 'first-admin-password');
      expect((await call(fx.baseUrl, 'POST', '/v1/sessions', { body: { username: 'boss', password: 'a-different-password' } })).status).to.equal(401);
    } finally {
      await fx.close();
    }
  });

  it('seeds the documented demo staff once, and they can sign in with the documented passwords', async () => {
    const { app, log } = await start({});
    expect(await runDemoSeeders(app.ctx, [staffIdentity()])).to.deep.equal(['identity/staff/demo-staff']);
    expect(await runDemoSeeders(app.ctx, [staffIdentity()])).to.deep.equal([]);
    expect(log()).to.match(/Demo staff sign-ins .*admin \/ tessera-admin-demo/);
    const fx = await startIdentity({ db, config: { adminUsername: undefined, adminPassword: undefined } });
    try {
      for (const account of DEMO_STAFF) {
        const token = await signIn(fx.baseUrl, account.username, account.password);
        const me = await call(fx.baseUrl, 'GET', '/v1/sessions/current', { token });
        expect(me.body.staff.roles).to.deep.equal(account.roles);
      }
    } finally {
      await fx.close();
    }
  });
});
