import { expect } from 'chai';
import { appendAudit, verifyAuditChain } from '../../../shared/audit/index.js';
import { openDatabase, type Database } from '../../../shared/db/index.js';
import { createTestDatabase, onPostgres, type TestDatabase } from '../../support/test-database.js';

describe(`audit chain under concurrent appends (${onPostgres ? 'PostgreSQL' : 'PGlite'})`, () => {
  let db: TestDatabase;
  /** A second pool on the same database: to PostgreSQL it is another process. */
  let other: Database | undefined;
  before(async () => {
    db = await createTestDatabase();
    if (db.url) other = openDatabase({ databaseUrl: db.url, poolMax: 10 });
  });
  after(async () => {
    await other?.close();
    await db?.dispose();
  });

  it('50 parallel audited transactions from two pools keep one valid chain with no gaps', async () => {
    const pools = [db, other ?? db];
    await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        pools[i % 2]!.knex.transaction(async (trx) => {
          // An audited change first, so each transaction holds work before it reaches the chain head.
          await trx.raw('select 1');
          await appendAudit(trx, { actor: { kind: 'staff', id: `s${i}` }, action: 'test.parallel', details: { i } });
        }),
      ),
    );
    const seqs = (await db.knex('audit_events').orderBy('seq').pluck('seq')).map(Number);
    expect(seqs).to.deep.equal(Array.from({ length: 50 }, (_, i) => i + 1));
    const details = (await db.knex('audit_events').pluck('details')) as { i: number }[];
    expect(details.map((d) => d.i).sort((a, b) => a - b)).to.deep.equal(Array.from({ length: 50 }, (_, i) => i));
    expect(await verifyAuditChain(db)).to.include({ ok: true, events: 50, lastSeq: 50 });
  });
});
