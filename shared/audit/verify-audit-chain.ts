import type { Knex } from 'knex';
import type { Database } from '../db/index.js';
import { auditHash, GENESIS_HASH } from './audit-hash.js';
import { toAuditEvent, type AuditRow } from './audit-rows.js';

/**
 * What is wrong with the first bad row:
 * - `edited`: a row's content no longer matches its hash, or a row was changed and its hash
 *   recomputed (the next row still records the old hash);
 * - `deleted`: seq has a gap, the tail is shorter than the chain head says, or a row was removed
 *   and the later rows renumbered;
 * - `reordered`: a row links to a row that is not its predecessor;
 * - `inserted`: a row lies beyond the chain head, so it was not appended through appendAudit.
 */
export type AuditDamageKind = 'edited' | 'deleted' | 'reordered' | 'inserted';

export type AuditVerification =
  | { readonly ok: true; readonly events: number; readonly lastSeq: number; readonly lastHash: string }
  | {
      readonly ok: false;
      readonly events: number;
      readonly kind: AuditDamageKind;
      /** The first damaged seq; null only when the chain head row itself is gone. */
      readonly seq: number | null;
      readonly message: string;
    };

const BATCH = 1000;

/**
 * Walks the whole chain in seq order inside one read-only snapshot (so appends that commit
 * meanwhile are simply not seen) and reports the first damaged row. Every row's hash is
 * recomputed from its fields, every link checked against the row before, and the end of the
 * walk checked against the chain head.
 */
export async function verifyAuditChain(db: Database): Promise<AuditVerification> {
  return db.knex.transaction((trx) => walk(trx), { isolationLevel: 'repeatable read', readOnly: true });
}

async function walk(trx: Knex.Transaction): Promise<AuditVerification> {
  const head = (await trx('audit_chain_head').where({ id: 1 }).first('last_seq', 'last_hash')) as
    | { last_seq: string | number; last_hash: string }
    | undefined;
  if (!head) return { ok: false, events: 0, kind: 'deleted', seq: null, message: 'the chain head row is missing' };
  const headSeq = Number(head.last_seq);

  let expectedSeq = 1;
  let prevHash = GENESIS_HASH;
  let checked = 0;
  const damage = (kind: AuditDamageKind, seq: number, message: string): AuditVerification => ({
    ok: false,
    events: checked,
    kind,
    seq,
    message,
  });

  for (;;) {
    const rows = (await trx('audit_events')
      .where('seq', '>=', expectedSeq)
      .andWhere('seq', '<=', headSeq)
      .orderBy('seq')
      .limit(BATCH)) as AuditRow[];
    for (const row of rows) {
      const event = toAuditEvent(row);
      // No seq is skipped: every appended event is still there.
      if (event.seq !== expectedSeq) {
        const missing = event.seq - 1 === expectedSeq ? `${expectedSeq}` : `${expectedSeq} to ${event.seq - 1}`;
        return damage('deleted', expectedSeq, `row(s) ${missing} are missing: the row after them is ${event.seq}`);
      }
      const recomputed = auditHash(event);
      // The row links to the row before it.
      if (event.prevHash !== prevHash) {
        const linked = (await trx('audit_events').where({ hash: event.prevHash }).first('seq')) as { seq: string | number } | undefined;
        if (linked) {
          return damage('reordered', event.seq, `row ${event.seq} links to row ${Number(linked.seq)}, not to row ${event.seq - 1}`);
        }
        if (recomputed === event.hash && event.seq > 1) {
          return damage('edited', event.seq - 1, `row ${event.seq - 1} was changed and its hash recomputed: row ${event.seq} recorded a different hash for it`);
        }
        return damage('deleted', event.seq, `the row before row ${event.seq} is not the one it was chained to: a row was removed and later rows renumbered`);
      }
      // The row's fields are the ones that were hashed when it was appended.
      if (recomputed !== event.hash) {
        return damage('edited', event.seq, `row ${event.seq} does not match its hash: its content was changed after it was appended`);
      }
      prevHash = event.hash;
      expectedSeq += 1;
      checked += 1;
    }
    if (rows.length < BATCH) break;
  }

  const lastSeq = expectedSeq - 1;
  // The chain ends where the head says: no rows cut off the end.
  if (lastSeq < headSeq) {
    return damage('deleted', lastSeq + 1, `rows ${lastSeq + 1} to ${headSeq} are missing from the end of the chain`);
  }
  if (headSeq > 0 && head.last_hash !== prevHash) {
    return damage('edited', headSeq, `row ${headSeq} was changed and its hash recomputed: the chain head recorded a different hash for it`);
  }
  // Nothing was added behind appendAudit's back.
  const beyond = (await trx('audit_events').where('seq', '>', headSeq).min({ seq: 'seq' }).first()) as { seq: string | number | null } | undefined;
  if (beyond?.seq !== null && beyond?.seq !== undefined) {
    return damage('inserted', Number(beyond.seq), `row ${Number(beyond.seq)} lies beyond the chain head (${headSeq}): it was not appended through the chain`);
  }
  return { ok: true, events: checked, lastSeq, lastHash: prevHash };
}
