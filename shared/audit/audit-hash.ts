import { createHash } from 'node:crypto';
import type { AuditActor, AuditSubject } from './audit-event.js';
import { canonicalJson } from './canonical-json.js';

/** prev_hash of the first event: there is nothing before it. */
export const GENESIS_HASH = '0'.repeat(64);

/** Prefixed to every hashed record, so an audit hash can never be confused with another SHA-256 in Tessera. */
export const AUDIT_HASH_DOMAIN = 'tessera.audit.v1\n';

export interface HashedAuditFields {
  readonly seq: number;
  readonly at: Date;
  readonly actor: AuditActor;
  readonly action: string;
  readonly subject: AuditSubject | null;
  readonly details: Readonly<Record<string, unknown>>;
  readonly prevHash: string;
}

/**
 * The record an event's hash covers, before canonical encoding. seq is a decimal string so it
 * never meets the 2^53 limit of JSON numbers; at is ISO 8601 UTC with milliseconds.
 * docs/staff-and-audit.md documents this shape; change it only with a new domain tag.
 */
export function hashedRecord(fields: HashedAuditFields): Record<string, unknown> {
  return {
    seq: String(fields.seq),
    at: fields.at.toISOString(),
    actor: { kind: fields.actor.kind, id: fields.actor.id },
    action: fields.action,
    subject: fields.subject ? { kind: fields.subject.kind, id: fields.subject.id } : null,
    details: fields.details,
    prevHash: fields.prevHash,
  };
}

/** hash = lowercase hex SHA-256 of UTF-8(AUDIT_HASH_DOMAIN + canonicalJson(hashedRecord)). */
export function auditHash(fields: HashedAuditFields): string {
  return createHash('sha256')
    .update(AUDIT_HASH_DOMAIN + canonicalJson(hashedRecord(fields)), 'utf8')
    .digest('hex');
}
