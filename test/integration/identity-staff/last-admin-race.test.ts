import { expect } from 'chai';
import { verifyAuditChain } from '../../../shared/audit/index.js';
import { isTesseraError } from '../../../shared/errors/index.js';
import { createStaff } from '../../../services/identity/staff/create-staff.js';
import { disableStaff } from '../../../services/identity/staff/staff-status.js';
import { createTestDatabase, onPostgres, type TestDatabase } from '../../support/test-database.js';

describe(`last-admin guard under concurrency (${onPostgres ? 'PostgreSQL' : 'PGlite'})`, () => {
  let db: TestDatabase;
  before(async () => {
    db = await createTestDatabase();
  });
  after(async () => {
    await db?.dispose();
  });

  it('two admins disabling each other at once: one wins, one is refused, never a deadlock', async () => {
    const now = new Date();
    const cli = { knex: db.knex, actor: { kind: 'cli' as const, id: 'test' }, now };
    for (let round = 0; round < 4; round += 1) {
      const a = (await createStaff(cli, { username: `a${round}`, roles: ['admin'], password: 'admin-password-a' })).staff.id;
      const b = (await createStaff(cli, { username: `b${round}`, roles: ['admin'], password: 'admin-password-b' })).staff.id;
      // Retire the previous round's survivor so exactly two admins are active.
      await db.knex('staff_accounts').whereNotIn('id', [a, b]).update({ status: 'disabled' });
      const outcomes = await Promise.allSettled([
        disableStaff({ ...cli, actor: { kind: 'staff', id: a } }, b),
        disableStaff({ ...cli, actor: { kind: 'staff', id: b } }, a),
      ]);
      const refused = outcomes.filter((o) => o.status === 'rejected').map((o) => (o as PromiseRejectedResult).reason as unknown);
      expect(outcomes.filter((o) => o.status === 'fulfilled')).to.have.length(1);
      expect(refused).to.have.length(1);
      expect(isTesseraError(refused[0]) && refused[0].code, String(refused[0])).to.equal('ERR_STAFF_LAST_ADMIN');
    }
    expect(await verifyAuditChain(db)).to.include({ ok: true });
  });
});
