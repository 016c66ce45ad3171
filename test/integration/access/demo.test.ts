import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { accessModule } from '../../../services/modules/access/index.js';
import { createTestDatabase, type TestDatabase } from '../../support/test-database.js';
import { createLogger } from '../../../shared/logging/index.js';
import { testConfig } from '../../support/test-config.js';
import { doorTap } from './support/access-host.js';

describe('access demo data', function () {
  this.timeout(120_000);
  let db: TestDatabase;
  after(() => db?.dispose());

  it('seeds the Town Hall once, binds the door readers and puts the demo cardholders in groups', async () => {
    db = await createTestDatabase({ migrations: { extraDirectories: [accessModule.migrationsDirectory!] } });
    const ctx = { module: 'access', knex: db.knex, logger: createLogger('silent'), now: () => new Date('2026-07-01T09:00:00Z'), timeZone: 'Europe/London', config: testConfig() };
    const ada = randomUUID();
    await db.knex('cardholders').insert({ id: ada, reference: 'DEMO-1', given_name: 'Ada', family_name: 'Lovelace', kind: 'staff' });
    const adaCard = randomUUID();
    await db.knex('cards').insert({ id: adaCard, cardholder_id: ada, status: 'active', algorithm: 'p256', expires_at: new Date('2030-01-01T00:00:00Z') });
    const reader = randomUUID();
    const now = new Date();
    await db.knex('readers').insert({ id: reader, name: 'demo-door-1', kind: 'door', site: 'Town Hall', module: 'access', created_at: now, status_changed_at: now });
    await accessModule.demoSeed!(ctx);
    await accessModule.demoSeed!(ctx);
    expect(await db.knex('access_sites').pluck('name')).to.deep.equal(['Town Hall']);
    expect(await db.knex('access_doors').count({ n: '*' }).first().then((r) => Number(r?.n))).to.equal(3);
    expect(await db.knex('access_door_readers').pluck('reader_id')).to.deep.equal([reader]);
    expect(await db.knex('access_memberships').where({ cardholder_id: ada }).count({ n: '*' }).first().then((r) => Number(r?.n))).to.equal(2);
    // The seeded rules decide: Ada opens the main entrance on a Wednesday morning.
    const decision = await accessModule.decide(doorTap(reader, { cardholderId: ada, cardId: adaCard }, new Date('2026-07-01T09:00:00Z')), { ...ctx, signal: new AbortController().signal });
    expect(decision).to.deep.include({ decision: 'granted', reason: 'ok' });
  });
});
