import { expect } from 'chai';
import { appendAudit, auditHash, GENESIS_HASH, verifyAuditChain } from '../../../shared/audit/index.js';
import { createTestDatabase, onPostgres, type TestDatabase } from '../../support/test-database.js';
import { appendMany, resetChain, withTriggersOff } from './tamper.js';

describe(`audit chain (${onPostgres ? 'PostgreSQL' : 'PGlite'})`, () => {
  let db: TestDatabase;
  before(async () => {
    db = await createTestDatabase();
  });
  after(async () => {
    await db?.dispose();
  });
  beforeEach(async () => {
    await resetChain(db);
  });

  it('chains appended events from the genesis hash, seq from 1, and verifies clean', async () => {
    await appendMany(db, 5);
    const rows = await db.knex('audit_events').orderBy('seq');
    expect(rows.map((r) => Number(r.seq))).to.deep.equal([1, 2, 3, 4, 5]);
    expect(rows[0].prev_hash).to.equal(GENESIS_HASH);
    for (let i = 1; i < rows.length; i += 1) expect(rows[i].prev_hash).to.equal(rows[i - 1].hash);
    const result = await verifyAuditChain(db);
    expect(result).to.deep.equal({ ok: true, events: 5, lastSeq: 5, lastHash: rows[4].hash });
  });

  it('stores details exactly as hashed, whatever key order jsonb keeps', async () => {
    const event = await db.knex.transaction((trx) =>
      appendAudit(trx, { actor: { kind: 'system', id: 'test' }, action: 'test.order', details: { zeta: 1, alpha: { y: [1, 2.5], x: 'é' } } }),
    );
    const row = await db.knex('audit_events').where({ seq: event.seq }).first();
    expect(auditHash({ ...event, details: row.details, at: row.at })).to.equal(row.hash);
  });

  it('an audited transaction that rolls back leaves no row and no gap', async () => {
    await appendMany(db, 2);
    const failure = await db.knex
      .transaction(async (trx) => {
        await appendAudit(trx, { actor: { kind: 'system', id: 'test' }, action: 'test.rolled-back' });
        throw new Error('the audited change failed');
      })
      .catch((error: Error) => error);
    expect((failure as Error).message).to.equal('the audited change failed');
    await appendMany(db, 1);
    expect((await db.knex('audit_events').orderBy('seq').pluck('seq')).map(Number)).to.deep.equal([1, 2, 3]);
    expect((await verifyAuditChain(db)).ok).to.equal(true);
  });

  it('refuses to append outside a transaction or with secrets in the details', async () => {
    await db.knex
      .transaction((trx) => appendAudit(trx, { actor: { kind: 'system', id: 't' }, action: 'test.secret', details: { password: 'hunter2hunter2' } }))
      .then(
        () => expect.fail('a password in the details must be refused'),
        (error: Error) => expect(error.message).to.match(/details\.password/),
      );
    await appendAudit(db.knex as never, { actor: { kind: 'system', id: 't' }, action: 'test.outside' }).then(
      () => expect.fail('outside a transaction must be refused'),
      (error: Error) => expect(error.message).to.match(/inside the transaction/),
    );
    expect(await db.knex('audit_events').count({ n: '*' }).first()).to.satisfy((r: { n: unknown }) => Number(r.n) === 0);
  });

  it('the database refuses UPDATE, DELETE and TRUNCATE of audit rows, and rewinding the head', async () => {
    await appendMany(db, 2);
    const refused = async (statement: Promise<unknown>) => {
      const error = await statement.then(() => undefined, (e: Error) => e);
      expect(error, 'statement should be refused').to.be.instanceOf(Error);
      expect((error as Error).message).to.match(/append-only|audit_chain_head/);
    };
    await refused(db.knex('audit_events').where({ seq: 1 }).update({ details: '{}' }));
    await refused(db.knex('audit_events').where({ seq: 2 }).delete());
    await refused(db.knex.raw('truncate audit_events'));
    await refused(db.knex('audit_chain_head').update({ last_seq: 1 }));
    await refused(db.knex('audit_chain_head').delete());
    expect((await verifyAuditChain(db)).ok).to.equal(true);
  });

  it('names an edited row', async () => {
    await appendMany(db, 6);
    await withTriggersOff(db, (trx) => trx('audit_events').where({ seq: 4 }).update({ details: JSON.stringify({ n: 999 }) }).then(() => undefined));
    expect(await verifyAuditChain(db)).to.include({ ok: false, kind: 'edited', seq: 4, events: 3 });
  });

  it('names an edited row whose hash was recomputed by the attacker', async () => {
    await appendMany(db, 6);
    await withTriggersOff(db, async (trx) => {
      const row = await trx('audit_events').where({ seq: 3 }).first();
      const forged = { seq: 3, at: row.at, actor: { kind: row.actor_kind, id: row.actor_id }, action: 'staff.enable', subject: { kind: row.subject_kind, id: row.subject_id }, details: row.details, prevHash: row.prev_hash };
      await trx('audit_events').where({ seq: 3 }).update({ action: 'staff.enable', hash: auditHash(forged) });
    });
    expect(await verifyAuditChain(db)).to.include({ ok: false, kind: 'edited', seq: 3 });
  });

  it('names a deleted row (a gap in seq)', async () => {
    await appendMany(db, 6);
    await withTriggersOff(db, (trx) => trx('audit_events').where({ seq: 2 }).delete().then(() => undefined));
    const result = await verifyAuditChain(db);
    expect(result).to.include({ ok: false, kind: 'deleted', seq: 2 });
  });

  it('names rows cut off the end of the chain', async () => {
    await appendMany(db, 6);
    await withTriggersOff(db, (trx) => trx('audit_events').where('seq', '>=', 5).delete().then(() => undefined));
    expect(await verifyAuditChain(db)).to.include({ ok: false, kind: 'deleted', seq: 5 });
  });

  it('names a deleted row when the later rows were renumbered', async () => {
    await appendMany(db, 6);
    await withTriggersOff(db, async (trx) => {
      await trx('audit_events').where({ seq: 3 }).delete();
      for (const seq of [4, 5, 6]) await trx('audit_events').where({ seq }).update({ seq: seq - 1 });
      await trx('audit_chain_head').update({ last_seq: 5, last_hash: (await trx('audit_events').where({ seq: 5 }).first()).hash });
    });
    expect(await verifyAuditChain(db)).to.include({ ok: false, kind: 'deleted', seq: 3 });
  });

  it('names reordered rows', async () => {
    await appendMany(db, 6);
    await withTriggersOff(db, async (trx) => {
      // Swap the contents of rows 3 and 4, keeping each seq where it was.
      const [three, four] = [await trx('audit_events').where({ seq: 3 }).first(), await trx('audit_events').where({ seq: 4 }).first()];
      await trx('audit_events').where({ seq: 3 }).update({ hash: 'x' });
      const content = ({ seq: _seq, ...rest }: Record<string, unknown>) => ({ ...rest, details: JSON.stringify(rest.details) });
      await trx('audit_events').where({ seq: 4 }).update(content(three));
      await trx('audit_events').where({ seq: 3 }).update(content(four));
    });
    expect(await verifyAuditChain(db)).to.include({ ok: false, kind: 'reordered', seq: 3 });
  });

  it('names a row slipped in beyond the chain head', async () => {
    await appendMany(db, 3);
    await withTriggersOff(db, (trx) =>
      trx('audit_events')
        .insert({ seq: 4, at: new Date(), actor_kind: 'staff', actor_id: 'x', action: 'staff.create', details: '{}', prev_hash: 'a'.repeat(64), hash: 'b'.repeat(64) })
        .then(() => undefined),
    );
    expect(await verifyAuditChain(db)).to.include({ ok: false, kind: 'inserted', seq: 4 });
  });
});
