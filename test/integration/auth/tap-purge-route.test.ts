import { expect } from 'chai';
import { migrationOptionsFor } from '../../../services/platform/app.js';
import { allServices } from '../../../services/platform/services.js';
import { clientAs } from '../../support/test-auth.js';
import { createTestDatabase, onPostgres, type TestDatabase } from '../../support/test-database.js';
import { ManualClock, startAuthPlatform, type AuthPlatform } from './auth-fixture.js';
import { insertDoorReader, insertTapRow } from './tap-rows.js';

const DAY = 86_400_000;

describe(`auth: POST /v1/taps/purge (${onPostgres ? 'PostgreSQL' : 'PGlite'})`, function () {
  this.timeout(120_000);
  let db: TestDatabase;
  let p: AuthPlatform;
  let clock: ManualClock;
  let readerId: string;

  before(async () => {
    db = await createTestDatabase({ migrations: migrationOptionsFor(allServices()) });
    clock = new ManualClock();
    p = await startAuthPlatform({ db, clock });
    readerId = await insertDoorReader(db.knex, 'purge-route', clock.now());
  });
  after(async () => {
    await p?.close();
    await db?.dispose();
  });
  beforeEach(() => db.knex('taps').del());

  const tapDaysAgo = (days: number) => insertTapRow(db.knex, readerId, new Date(clock.now().getTime() - days * DAY));

  const tapIds = async () => new Set((await db.knex('taps').pluck('id')) as string[]);
  const purgeEvents = async () =>
    (await db.knex('audit_events').where({ action: 'taps.purge' }).orderBy('seq').select('actor_kind', 'actor_id', 'details')) as { actor_kind: string; actor_id: string; details: unknown }[];

  it('purges past the configured retention for an admin, answers the summary and audits the admin', async () => {
    const old = await tapDaysAgo(401);
    const young = await tapDaysAgo(399);
    const before = (await purgeEvents()).length;

    const answer = await clientAs(p.baseUrl, 'admin').post('/v1/taps/purge', {});

    expect(answer.status, JSON.stringify(answer.body)).to.equal(200);
    expect(answer.body).to.deep.equal({
      cutoff: new Date(clock.now().getTime() - 400 * DAY).toISOString(),
      olderThanDays: 400,
      deleted: 1,
      keptReferenced: 0,
      batches: 1,
      dryRun: false,
    });
    const left = await tapIds();
    expect(left.has(old)).to.equal(false);
    expect(left.has(young)).to.equal(true);
    const events = await purgeEvents();
    expect(events).to.have.length(before + 1);
    expect(`${events.at(-1)!.actor_kind}:${events.at(-1)!.actor_id}`).to.equal('staff:test-admin');
    const metrics = await (await fetch(`${p.baseUrl}/metrics`)).text();
    expect(metrics).to.match(/^tessera_tap_purge_deleted_total 1$/m);
  });

  it('takes olderThanDays and dryRun: counts without deleting or auditing', async () => {
    const ids = [await tapDaysAgo(200), await tapDaysAgo(100), await tapDaysAgo(10)];
    const before = (await purgeEvents()).length;

    const answer = await p.admin.post('/v1/taps/purge', { olderThanDays: 60, dryRun: true });

    expect(answer.status).to.equal(200);
    expect(answer.body).to.include({ olderThanDays: 60, deleted: 2, dryRun: true, batches: 0 });
    expect([...(await tapIds())].sort()).to.deep.equal([...ids].sort());
    expect(await purgeEvents()).to.have.length(before);
  });

  it('refuses olderThanDays under 30 (or not a whole number, or an unknown field) as problem+json naming the field', async () => {
    const id = await tapDaysAgo(45);
    for (const body of [{ olderThanDays: 29 }, { olderThanDays: 0 }, { olderThanDays: 40.5 }, { olderThanDays: '60' }, { olderThanDays: 60, everything: true }]) {
      const response = await fetch(`${p.baseUrl}/v1/taps/purge`, { method: 'POST', headers: { 'x-test-role': 'admin', 'content-type': 'application/json' }, body: JSON.stringify(body) });
      const problem = (await response.json()) as { status: number; errors?: { pointer: string }[] };
      expect(response.status, JSON.stringify(body)).to.equal(400);
      expect(response.headers.get('content-type'), JSON.stringify(body)).to.match(/^application\/problem\+json/);
      const field = 'everything' in body ? '/everything' : '/olderThanDays';
      expect(problem.errors?.map((e) => e.pointer), JSON.stringify(body)).to.include(field);
    }
    expect((await tapIds()).has(id)).to.equal(true);
  });

  it('lets no other staff role, and no one signed out, purge', async () => {
    const id = await tapDaysAgo(500);
    const before = (await purgeEvents()).length;
    for (const role of ['reception', 'finance', 'access-manager']) {
      expect((await clientAs(p.baseUrl, role).post('/v1/taps/purge', {})).status, role).to.equal(403);
    }
    expect((await clientAs(p.baseUrl, undefined).post('/v1/taps/purge', {})).status).to.equal(401);
    expect((await tapIds()).has(id)).to.equal(true);
    expect(await purgeEvents()).to.have.length(before);
  });
});
