import { expect } from 'chai';
import { onPostgres } from '../../support/test-database.js';
import { addStaff, call, ROOT, signIn, startIdentity, type IdentityFixture } from './identity-fixture.js';

describe(`staff sessions (${onPostgres ? 'PostgreSQL' : 'PGlite'})`, () => {
  let fx: IdentityFixture;
  let rootToken: string;
  before(async () => {
    fx = await startIdentity({ config: { staffLockoutAttempts: 3, staffLockoutSeconds: 600, staffSessionSeconds: 900 } });
    rootToken = await signIn(fx.baseUrl, ROOT.username, ROOT.password);
  });
  after(async () => {
    await fx?.close();
  });

  const auditActions = async (subjectId: string) =>
    ((await call(fx.baseUrl, 'GET', `/v1/audit?subjectKind=staff&subjectId=${subjectId}&limit=100`, { token: rootToken })).body.events as { action: string }[])
      .map((e) => e.action)
      .reverse();

  it('signs in with username and password and says who I am', async () => {
    const before = fx.clock.now();
    const reply = await call(fx.baseUrl, 'POST', '/v1/sessions', { body: { username: 'ROOT', password: ROOT.password } });
    expect(reply.status).to.equal(201);
    expect(reply.body).to.include({ tokenType: 'Bearer' });
    expect(reply.body.token.split('.')).to.have.length(3);
    const lifetime = new Date(reply.body.expiresAt).getTime() - before.getTime();
    expect(lifetime).to.be.within(899_000, 901_000);
    expect(reply.body.staff).to.include({ username: 'root', status: 'active' });
    expect(JSON.stringify(reply.body)).to.not.match(/scrypt|password_hash/);

    const me = await call(fx.baseUrl, 'GET', '/v1/sessions/current', { token: reply.body.token });
    expect(me.status).to.equal(200);
    expect(me.body.staff).to.include({ username: 'root' });
    expect(me.body.staff.roles).to.deep.equal(['admin']);
    expect(me.body.session.expiresAt).to.equal(reply.body.expiresAt);
  });

  it('answers a wrong password and an unknown username with the same problem', async () => {
    const wrong = await call(fx.baseUrl, 'POST', '/v1/sessions', { body: { username: 'root', password: 'not the password' } });
    const unknown = await call(fx.baseUrl, 'POST', '/v1/sessions', { body: { username: 'nobody-here', password: 'not the password' } });
    for (const reply of [wrong, unknown]) {
      expect(reply.status).to.equal(401);
      expect(reply.contentType).to.match(/application\/problem\+json/);
    }
    const strip = (body: Record<string, unknown>) => ({ ...body, instance: undefined });
    expect(strip(wrong.body)).to.deep.equal(strip(unknown.body));
    expect(wrong.body).to.include({ code: 'ERR_INVALID_CREDENTIALS', type: 'urn:tessera:problem:invalid-credentials' });
    // A success resets root's failure count, so the lockout tests below start clean.
    await signIn(fx.baseUrl, ROOT.username, ROOT.password);
  });

  it('refuses protected routes without a valid bearer token (401)', async () => {
    for (const authorization of [undefined, 'Bearer', 'Basic cm9vdDpyb290', 'Bearer not.a.token', `Bearer ${rootToken}x`]) {
      const response = await fetch(`${fx.baseUrl}/v1/sessions/current`, { headers: authorization ? { authorization } : {} });
      expect(response.status, String(authorization)).to.equal(401);
      expect(((await response.json()) as { code: string }).code).to.equal('ERR_UNAUTHENTICATED');
    }
  });

  it('signs out: the token stops working at once, and sign-out is audited', async () => {
    const id = await addStaff(fx.baseUrl, rootToken, { username: 'leaver', roles: ['reception'], password: 'leaver-password-1' });
    const token = await signIn(fx.baseUrl, 'leaver', 'leaver-password-1');
    expect((await call(fx.baseUrl, 'DELETE', '/v1/sessions/current', { token })).status).to.equal(204);
    const after = await call(fx.baseUrl, 'GET', '/v1/sessions/current', { token });
    expect(after.status).to.equal(401);
    expect(after.body.detail).to.match(/ended/);
    expect(await auditActions(id)).to.deep.equal(['staff.create', 'session.login', 'session.logout']);
  });

  it('refuses an expired token', async () => {
    await addStaff(fx.baseUrl, rootToken, { username: 'sleepy', roles: ['finance'], password: 'sleepy-password-1' });
    const token = await signIn(fx.baseUrl, 'sleepy', 'sleepy-password-1');
    fx.clock.advance(901);
    const reply = await call(fx.baseUrl, 'GET', '/v1/sessions/current', { token });
    expect(reply.status).to.equal(401);
    expect(reply.body.detail).to.match(/expired/);
    rootToken = await signIn(fx.baseUrl, ROOT.username, ROOT.password);
  });

  it('locks an account after 3 failures for 600 s, refusing even the right password meanwhile', async () => {
    const id = await addStaff(fx.baseUrl, rootToken, { username: 'guessed', roles: ['reception'], password: 'guessed-password-1' });
    for (let i = 0; i < 3; i += 1) {
      expect((await call(fx.baseUrl, 'POST', '/v1/sessions', { body: { username: 'guessed', password: `wrong-${i}` } })).status).to.equal(401);
    }
    const locked = await call(fx.baseUrl, 'POST', '/v1/sessions', { body: { username: 'guessed', password: 'guessed-password-1' } });
    expect(locked.status).to.equal(401);
    expect(locked.body.code).to.equal('ERR_INVALID_CREDENTIALS');
    const account = await call(fx.baseUrl, 'GET', `/v1/staff/${id}`, { token: rootToken });
    expect(account.body.lockedUntil).to.be.a('string');

    fx.clock.advance(599);
    expect((await call(fx.baseUrl, 'POST', '/v1/sessions', { body: { username: 'guessed', password: 'guessed-password-1' } })).status).to.equal(401);
    fx.clock.advance(2);
    expect((await call(fx.baseUrl, 'POST', '/v1/sessions', { body: { username: 'guessed', password: 'guessed-password-1' } })).status).to.equal(201);
    rootToken = await signIn(fx.baseUrl, ROOT.username, ROOT.password);

    const actions = await auditActions(id);
    expect(actions).to.deep.equal([
      'staff.create',
      'session.login-failure',
      'session.login-failure',
      'session.login-failure',
      'session.lockout',
      'session.login-failure',
      'session.login-failure',
      'session.login',
    ]);
    const events = (await call(fx.baseUrl, 'GET', `/v1/audit?subjectId=${id}&action=session.login-failure&limit=100`, { token: rootToken })).body.events;
    expect(events.map((e: { details: { reason: string } }) => e.details.reason).reverse()).to.deep.equal([
      'wrong-password',
      'wrong-password',
      'wrong-password',
      'locked',
      'locked',
    ]);
  });

  it("an admin's enable clears a lockout early", async () => {
    const id = await addStaff(fx.baseUrl, rootToken, { username: 'unlockme', roles: ['reception'], password: 'unlockme-password' });
    for (let i = 0; i < 3; i += 1) await call(fx.baseUrl, 'POST', '/v1/sessions', { body: { username: 'unlockme', password: 'nope' } });
    expect((await call(fx.baseUrl, 'POST', `/v1/staff/${id}/enable`, { token: rootToken })).body.lockedUntil).to.equal(null);
    await signIn(fx.baseUrl, 'unlockme', 'unlockme-password');
  });

  it("refuses a disabled account's tokens at once, even without revocation", async () => {
    const id = await addStaff(fx.baseUrl, rootToken, { username: 'suspended', roles: ['reception'], password: 'suspended-password' });
    const token = await signIn(fx.baseUrl, 'suspended', 'suspended-password');
    expect((await call(fx.baseUrl, 'GET', '/v1/sessions/current', { token })).status).to.equal(200);
    // Straight in the database: the authenticator must read the status, not rely on revocation.
    await fx.db.knex('staff_accounts').where({ id }).update({ status: 'disabled' });
    const reply = await call(fx.baseUrl, 'GET', '/v1/sessions/current', { token });
    expect(reply.status).to.equal(401);
    expect(reply.body.detail).to.match(/disabled/);
    await fx.db.knex('staff_accounts').where({ id }).update({ status: 'active' });
    // Through the API, disabling also revokes, so enabling again does not bring old tokens back.
    await call(fx.baseUrl, 'POST', `/v1/staff/${id}/disable`, { token: rootToken });
    await call(fx.baseUrl, 'POST', `/v1/staff/${id}/enable`, { token: rootToken });
    expect((await call(fx.baseUrl, 'GET', '/v1/sessions/current', { token })).status).to.equal(401);
    expect((await call(fx.baseUrl, 'POST', '/v1/sessions', { body: { username: 'suspended', password: 'suspended-password' } })).status).to.equal(201);
  });

  it('applies role changes to live sessions on the next request', async () => {
    const id = await addStaff(fx.baseUrl, rootToken, { username: 'promoted', roles: ['reception'], password: 'promoted-password' });
    const token = await signIn(fx.baseUrl, 'promoted', 'promoted-password');
    expect((await call(fx.baseUrl, 'GET', '/v1/staff', { token })).status).to.equal(403);
    await call(fx.baseUrl, 'PATCH', `/v1/staff/${id}`, { token: rootToken, body: { roles: ['reception', 'admin'] } });
    expect((await call(fx.baseUrl, 'GET', '/v1/staff', { token })).status).to.equal(200);
    await call(fx.baseUrl, 'PATCH', `/v1/staff/${id}`, { token: rootToken, body: { roles: ['reception'] } });
    const forbidden = await call(fx.baseUrl, 'GET', '/v1/staff', { token });
    expect(forbidden.status).to.equal(403);
    expect(forbidden.body).to.include({ code: 'ERR_FORBIDDEN' });
    expect(forbidden.body.requiredRoles).to.deep.equal(['admin']);
  });

  it('changes my own password with the current one, ending my other sessions', async () => {
    const id = await addStaff(fx.baseUrl, rootToken, { username: 'changer', roles: ['finance'], password: 'changer-password-1' });
    const here = await signIn(fx.baseUrl, 'changer', 'changer-password-1');
    const elsewhere = await signIn(fx.baseUrl, 'changer', 'changer-password-1');
    const wrong = await call(fx.baseUrl, 'POST', '/v1/sessions/current/password', { token: here, body: { currentPassword: 'nope', newPassword: 'changer-password-2' } });
    expect(wrong.status).to.equal(422);
    expect(wrong.body.code).to.equal('ERR_STAFF_CURRENT_PASSWORD_WRONG');
    const weak = await call(fx.baseUrl, 'POST', '/v1/sessions/current/password', { token: here, body: { currentPassword: 'changer-password-1', newPassword: 'changer' } });
    expect(weak.status).to.equal(422);
    expect(weak.body.code).to.equal('ERR_STAFF_PASSWORD_RULES');
    const ok = await call(fx.baseUrl, 'POST', '/v1/sessions/current/password', { token: here, body: { currentPassword: 'changer-password-1', newPassword: 'changer-password-2' } });
    expect(ok.status).to.equal(204);
    expect((await call(fx.baseUrl, 'GET', '/v1/sessions/current', { token: here })).status).to.equal(200);
    expect((await call(fx.baseUrl, 'GET', '/v1/sessions/current', { token: elsewhere })).status).to.equal(401);
    expect((await call(fx.baseUrl, 'POST', '/v1/sessions', { body: { username: 'changer', password: 'changer-password-1' } })).status).to.equal(401);
    await signIn(fx.baseUrl, 'changer', 'changer-password-2');
    expect(await auditActions(id)).to.include.members(['staff.password-change-failure', 'staff.password-change']);
  });

  it("an admin's password reset ends the account's sessions", async () => {
    const id = await addStaff(fx.baseUrl, rootToken, { username: 'forgetful', roles: ['reception'], password: 'forgetful-password' });
    const token = await signIn(fx.baseUrl, 'forgetful', 'forgetful-password');
    const reset = await call(fx.baseUrl, 'POST', `/v1/staff/${id}/password`, { token: rootToken, body: {} });
    expect(reset.status).to.equal(200);
    expect(reset.body.generatedPassword).to.be.a('string');
    expect((await call(fx.baseUrl, 'GET', '/v1/sessions/current', { token })).status).to.equal(401);
    await signIn(fx.baseUrl, 'forgetful', reset.body.generatedPassword);
    const resetEvent = (await call(fx.baseUrl, 'GET', `/v1/audit?subjectId=${id}&action=staff.password-reset`, { token: rootToken })).body.events[0];
    expect(resetEvent.actor).to.deep.include({ kind: 'staff' });
    expect(JSON.stringify(resetEvent)).to.not.include(reset.body.generatedPassword);
  });
});
