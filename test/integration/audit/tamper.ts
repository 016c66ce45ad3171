import type { Knex } from 'knex';
import { appendAudit, GENESIS_HASH } from '../../../shared/audit/index.js';
import type { Database } from '../../../shared/db/index.js';

/**
 * What an attacker with the table owner's rights can do: switch the append-only triggers off
 * for one transaction. DDL is transactional in PostgreSQL, so the triggers come back on commit
 * or rollback alike.
 */
export async function withTriggersOff(db: Database, work: (trx: Knex.Transaction) => Promise<void>): Promise<void> {
  await db.knex.transaction(async (trx) => {
    await trx.raw('alter table audit_events disable trigger user');
    await trx.raw('alter table audit_chain_head disable trigger user');
    await work(trx);
    await trx.raw('alter table audit_events enable trigger user');
    await trx.raw('alter table audit_chain_head enable trigger user');
  });
}

export async function resetChain(db: Database): Promise<void> {
  await withTriggersOff(db, async (trx) => {
    await trx('audit_events').delete();
    await trx('audit_chain_head').where({ id: 1 }).update({ last_seq: 0, last_hash: GENESIS_HASH });
  });
}

export async function appendMany(db: Database, count: number): Promise<void> {
  for (let i = 1; i <= count; i += 1) {
    await db.knex.transaction((trx) =>
      appendAudit(trx, {
        actor: { kind: 'staff', id: `staff-${i % 3}` },
        action: 'staff.update',
        subject: { kind: 'staff', id: `subject-${i}` },
        details: { n: i, changes: { displayName: { from: `Name ${i - 1}`, to: `Name ${i}` } } },
        at: new Date(Date.UTC(2026, 10, 21, 10, 0, i)),
      }),
    );
  }
}
