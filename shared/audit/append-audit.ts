import type { Knex } from 'knex';
import type { AuditEvent, AuditEventInput } from './audit-event.js';
import { auditHash } from './audit-hash.js';
import { assertNoSecrets } from './secret-guard.js';

/** Actions are `<room>.<verb>`, lower case, so filters and reports can rely on the shape. */
const actionPattern = /^[a-z][a-z0-9-]*(\.[a-z][a-z0-9-]*)+$/;

/**
 * Appends one event to the hash chain inside the caller's transaction, so the audited change
 * and its audit row commit together or not at all.
 *
 * Appends are serialised by locking the single chain-head row (`FOR UPDATE`): a second
 * transaction, in this process or another, waits there until the first commits, then reads the
 * head the first one left. seq is the head's seq + 1, not a database sequence, because a
 * sequence leaves gaps on rollback and a gap is exactly what the verifier reports as a deletion.
 * The lock is held until the caller commits, so keep audited transactions short.
 */
export async function appendAudit(trx: Knex.Transaction, event: AuditEventInput): Promise<AuditEvent> {
  if (!trx.isTransaction) throw new Error('appendAudit must run inside the transaction of the change it records');
  if (!actionPattern.test(event.action)) throw new Error(`audit action must look like 'room.verb', got '${event.action}'`);
  assertNoSecrets(event.details ?? {});
  // What we hash must be exactly what jsonb gives back: plain JSON, undefined members dropped.
  const details = JSON.parse(JSON.stringify(event.details ?? {})) as Record<string, unknown>;
  const at = new Date(Math.floor((event.at ?? new Date()).getTime()));

  const head = (await trx('audit_chain_head').where({ id: 1 }).forUpdate().first('last_seq', 'last_hash')) as
    | { last_seq: string | number; last_hash: string }
    | undefined;
  if (!head) throw new Error('the audit chain head row is missing; run the migrations (or restore it from a backup)');

  const fields = {
    seq: Number(head.last_seq) + 1,
    at,
    actor: event.actor,
    action: event.action,
    subject: event.subject ?? null,
    details,
    prevHash: head.last_hash,
  };
  const hash = auditHash(fields);
  await trx('audit_events').insert({
    seq: fields.seq,
    at,
    actor_kind: event.actor.kind,
    actor_id: event.actor.id,
    action: event.action,
    subject_kind: fields.subject?.kind ?? null,
    subject_id: fields.subject?.id ?? null,
    details: JSON.stringify(details),
    prev_hash: fields.prevHash,
    hash,
  });
  await trx('audit_chain_head').where({ id: 1 }).update({ last_seq: fields.seq, last_hash: hash });
  return { ...fields, hash };
}
