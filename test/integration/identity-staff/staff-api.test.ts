import { expect } from 'chai';
import { verifyAuditChain } from '../../../shared/audit/index.js';
import { onPostgres } from '../../support/test-database.js';
import { addStaff, call, ROOT, signIn, startIdentity, type IdentityFixture } from './identity-fixture.js';

describe(`staff management API (${onPostgres ? 'PostgreSQL' : 'PGlite'})`, () => {
  let fx: IdentityFixture;
  let root: string;
  let rootId: string;
  before(async () => {
    fx = await startIdentity();
    root = await signIn(fx.baseUrl, ROOT.username, ROOT.password);
    rootId = (await call(fx.baseUrl, 'GET', '/v1/sessions/current', { token: root })).body.staff.id;
  });
  after(async () => {
    await fx?.close();
  });

  const expectProblem = (reply: { status: number; body: any; contentType: string | null }, status: number, code: string) => {
    expect(reply.status, JSON.stringify(reply.body)).to.equal(status);
    expect(reply.contentType).to.match(/^application\/problem\+json/);
    expect(reply.body).to.include({ status, code });
    expect(reply.body.type).to.match(/^urn:tessera:problem:/);
  };

  it('creates an account: 201 with the account and never its password', async () => {
    const reply = await call(fx.baseUrl, 'POST', '/v1/staff', {
      token: root,
      body: { username: 'j.smith', displayName: 'Jo Smith', roles: ['reception', 'finance'], password: 'jo-smith-password' },
    });
    expect(reply.status).to.equal(201);
    expect(reply.body.staff).to.include({ username: 'j.smith', displayName: 'Jo Smith', status: 'active', lockedUntil: null, failedAttempts: 0 });
    expect(reply.body.staff.roles).to.deep.equal(['reception', 'finance']);
    expect(reply.body).to.not.have.property('generatedPassword');
    expect(JSON.stringify(reply.body)).to.not.include('jo-smith-password');
    const fetched = await call(fx.baseUrl, 'GET', `/v1/staff/${reply.body.staff.id}`, { token: root });
    expect(fetched.body).to.deep.equal(reply.body.staff);
  });

  it('generates a password when none is given, returned once, and it signs in', async () => {
    const reply = await call(fx.baseUrl, 'POST', '/v1/staff', { token: root, body: { username: 'temp.worker', roles: ['reception'] } });
    expect(reply.status).to.equal(201);
    expect(reply.body.staff.displayName).to.equal('temp.worker');
    await signIn(fx.baseUrl, 'temp.worker', reply.body.generatedPassword);
    const again = await call(fx.baseUrl, 'GET', `/v1/staff/${reply.body.staff.id}`, { token: root });
    expect(again.body).to.not.have.property('generatedPassword');
  });

  it('refuses a duplicate username with 409', async () => {
    await addStaff(fx.baseUrl, root, { username: 'twin', roles: ['finance'], password: 'twin-password-1' });
    expectProblem(await call(fx.baseUrl, 'POST', '/v1/staff', { token: root, body: { username: 'twin', roles: ['finance'], password: 'twin-password-2' } }), 409, 'ERR_STAFF_USERNAME_TAKEN');
  });

  it('refuses unknown fields, a bad role and a bad username with 400 naming the field', async () => {
    const unknown = await call(fx.baseUrl, 'POST', '/v1/staff', { token: root, body: { username: 'x.y', roles: ['finance'], isAdmin: true } });
    expectProblem(unknown, 400, 'ERR_VALIDATION');
    expect(unknown.body.errors).to.deep.include({ in: 'body', pointer: '/isAdmin', message: "unknown field 'isAdmin'" });

    const role = await call(fx.baseUrl, 'POST', '/v1/staff', { token: root, body: { username: 'x.y', roles: ['superuser'] } });
    expectProblem(role, 400, 'ERR_VALIDATION');
    expect(role.body.errors[0].pointer).to.equal('/roles/0');

    expectProblem(await call(fx.baseUrl, 'POST', '/v1/staff', { token: root, body: { username: 'Bad Name', roles: ['finance'] } }), 400, 'ERR_VALIDATION');
    expectProblem(await call(fx.baseUrl, 'POST', '/v1/staff', { token: root, body: { username: 'x.y', roles: [] } }), 400, 'ERR_VALIDATION');
    expectProblem(await call(fx.baseUrl, 'PATCH', `/v1/staff/${rootId}`, { token: root, body: {} }), 400, 'ERR_VALIDATION');
    expectProblem(await call(fx.baseUrl, 'GET', '/v1/staff/not-a-uuid', { token: root }), 400, 'ERR_VALIDATION');
  });

  it('refuses passwords that break the rules with 422 listing them', async () => {
    const short = await call(fx.baseUrl, 'POST', '/v1/staff', { token: root, body: { username: 'shorty', roles: ['finance'], password: 'too-short' } });
    expectProblem(short, 422, 'ERR_STAFF_PASSWORD_RULES');
    expect(short.body.problems).to.deep.equal(['must be at least 12 characters']);
    const same = await call(fx.baseUrl, 'POST', '/v1/staff', { token: root, body: { username: 'samename.user', roles: ['finance'], password: 'samename.user' } });
    expectProblem(same, 422, 'ERR_STAFF_PASSWORD_RULES');
  });

  it('404s an unknown account on every operation', async () => {
    const ghost = '00000000-0000-4000-8000-000000000000';
    expectProblem(await call(fx.baseUrl, 'GET', `/v1/staff/${ghost}`, { token: root }), 404, 'ERR_STAFF_NOT_FOUND');
    expectProblem(await call(fx.baseUrl, 'PATCH', `/v1/staff/${ghost}`, { token: root, body: { displayName: 'x' } }), 404, 'ERR_STAFF_NOT_FOUND');
    expectProblem(await call(fx.baseUrl, 'POST', `/v1/staff/${ghost}/disable`, { token: root }), 404, 'ERR_STAFF_NOT_FOUND');
    expectProblem(await call(fx.baseUrl, 'POST', `/v1/staff/${ghost}/enable`, { token: root }), 404, 'ERR_STAFF_NOT_FOUND');
    expectProblem(await call(fx.baseUrl, 'POST', `/v1/staff/${ghost}/password`, { token: root, body: {} }), 404, 'ERR_STAFF_NOT_FOUND');
  });

  it('lists accounts by username, filtered and paginated', async () => {
    for (const name of ['list-a', 'list-b', 'list-c']) await addStaff(fx.baseUrl, root, { username: name, roles: ['library-manager'], password: `${name}-password` });
    const first = await call(fx.baseUrl, 'GET', '/v1/staff?role=library-manager&limit=2', { token: root });
    expect(first.body.staff.map((s: { username: string }) => s.username)).to.deep.equal(['list-a', 'list-b']);
    expect(first.body.nextAfter).to.equal('list-b');
    const second = await call(fx.baseUrl, 'GET', `/v1/staff?role=library-manager&limit=2&after=${first.body.nextAfter}`, { token: root });
    expect(second.body).to.deep.include({ nextAfter: null });
    expect(second.body.staff.map((s: { username: string }) => s.username)).to.deep.equal(['list-c']);
    const admins = await call(fx.baseUrl, 'GET', '/v1/staff?role=admin&status=active', { token: root });
    expect(admins.body.staff.map((s: { username: string }) => s.username)).to.include('root');
  });

  it('updates display name and roles, auditing what changed from and to', async () => {
    const id = await addStaff(fx.baseUrl, root, { username: 'mover', roles: ['reception'], password: 'mover-password-1', displayName: 'Mo' });
    const reply = await call(fx.baseUrl, 'PATCH', `/v1/staff/${id}`, { token: root, body: { displayName: 'Mo Vere', roles: ['print-manager'] } });
    expect(reply.status).to.equal(200);
    expect(reply.body).to.include({ displayName: 'Mo Vere' });
    expect(reply.body.roles).to.deep.equal(['print-manager']);
    const event = (await call(fx.baseUrl, 'GET', `/v1/audit?subjectId=${id}&action=staff.update`, { token: root })).body.events[0];
    expect(event.actor).to.deep.equal({ kind: 'staff', id: rootId });
    expect(event.details.changes).to.deep.equal({ displayName: { from: 'Mo', to: 'Mo Vere' }, roles: { from: ['reception'], to: ['print-manager'] } });
  });

  it('refuses to let an admin disable themself', async () => {
    expectProblem(await call(fx.baseUrl, 'POST', `/v1/staff/${rootId}/disable`, { token: root }), 409, 'ERR_STAFF_SELF_DISABLE');
  });

  it('never leaves the platform without an active admin', async () => {
    // root is the only admin: it cannot lose the role.
    expectProblem(await call(fx.baseUrl, 'PATCH', `/v1/staff/${rootId}`, { token: root, body: { roles: ['reception'] } }), 409, 'ERR_STAFF_LAST_ADMIN');
    const deputyId = await addStaff(fx.baseUrl, root, { username: 'deputy', roles: ['admin'], password: 'deputy-password-1' });
    const deputy = await signIn(fx.baseUrl, 'deputy', 'deputy-password-1');
    // With two admins, one may disable the other; then the survivor is the last.
    expect((await call(fx.baseUrl, 'POST', `/v1/staff/${rootId}/disable`, { token: deputy })).status).to.equal(200);
    expect((await call(fx.baseUrl, 'GET', '/v1/sessions/current', { token: root })).status).to.equal(401);
    expectProblem(await call(fx.baseUrl, 'PATCH', `/v1/staff/${deputyId}`, { token: deputy, body: { roles: ['finance'] } }), 409, 'ERR_STAFF_LAST_ADMIN');
    expect((await call(fx.baseUrl, 'POST', `/v1/staff/${rootId}/enable`, { token: deputy })).status).to.equal(200);
    root = await signIn(fx.baseUrl, ROOT.username, ROOT.password);
    // Two admins disabling each other at the same moment: exactly one wins.
    const replies = await Promise.all([
      call(fx.baseUrl, 'POST', `/v1/staff/${deputyId}/disable`, { token: root }),
      call(fx.baseUrl, 'POST', `/v1/staff/${rootId}/disable`, { token: deputy }),
    ]);
    const statuses = replies.map((r) => r.status).sort();
    expect(statuses[0]).to.equal(200);
    expect(statuses[1]).to.be.oneOf([401, 409]);
    const active = await fx.db.knex('staff_accounts').where({ status: 'active' }).whereRaw(`'admin' = any(roles)`).count({ n: '*' }).first();
    expect(Number(active!.n)).to.equal(1);
    // Put root back for the tests after this one.
    await fx.db.knex('staff_accounts').where({ id: rootId }).update({ status: 'active' });
    await fx.db.knex('staff_accounts').where({ id: deputyId }).update({ status: 'active' });
    root = await signIn(fx.baseUrl, ROOT.username, ROOT.password);
  });

  it('audits every staff action with the acting admin, and never a password', async () => {
    const id = await addStaff(fx.baseUrl, root, { username: 'audited', roles: ['reception'], password: 'audited-password-1' });
    await call(fx.baseUrl, 'PATCH', `/v1/staff/${id}`, { token: root, body: { displayName: 'Audited Person' } });
    await call(fx.baseUrl, 'POST', `/v1/staff/${id}/disable`, { token: root });
    await call(fx.baseUrl, 'POST', `/v1/staff/${id}/enable`, { token: root });
    await call(fx.baseUrl, 'POST', `/v1/staff/${id}/password`, { token: root, body: { newPassword: 'audited-password-2' } });
    const events = (await call(fx.baseUrl, 'GET', `/v1/audit?subjectKind=staff&subjectId=${id}`, { token: root })).body.events.reverse();
    expect(events.map((e: { action: string }) => e.action)).to.deep.equal(['staff.create', 'staff.update', 'staff.disable', 'staff.enable', 'staff.password-reset']);
    for (const event of events) expect(event.actor).to.deep.equal({ kind: 'staff', id: rootId });
    const everything = JSON.stringify(await fx.db.knex('audit_events').select());
    expect(everything).to.not.match(/audited-password|\$scrypt\$/);
    expect(await verifyAuditChain(fx.db)).to.include({ ok: true });
  });

  it('pages through the audit log newest first and filters by actor, action and time', async () => {
    const page1 = await call(fx.baseUrl, 'GET', `/v1/audit?actorKind=staff&actorId=${rootId}&action=staff.create&limit=2`, { token: root });
    expect(page1.status).to.equal(200);
    expect(page1.body.events).to.have.length(2);
    const [newer, older] = page1.body.events;
    expect(newer.seq).to.be.greaterThan(older.seq);
    const page2 = await call(fx.baseUrl, 'GET', `/v1/audit?actorId=${rootId}&action=staff.create&limit=2&beforeSeq=${page1.body.nextBeforeSeq}`, { token: root });
    expect(page2.body.events[0].seq).to.be.lessThan(older.seq);
    const future = new Date(fx.clock.now().getTime() + 60_000).toISOString();
    expect((await call(fx.baseUrl, 'GET', `/v1/audit?from=${encodeURIComponent(future)}`, { token: root })).body.events).to.deep.equal([]);
    const to = encodeURIComponent(fx.clock.now().toISOString());
    expect((await call(fx.baseUrl, 'GET', `/v1/audit?to=${to}&action=staff.create&limit=1`, { token: root })).body.events).to.deep.equal([]);
  });
});
