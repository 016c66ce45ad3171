import type { AuditEvent } from './audit-event.js';

/** audit_events as the driver returns it (bigint comes back as a string from pg, a number from PGlite). */
export interface AuditRow {
  seq: string | number;
  at: Date;
  actor_kind: string;
  actor_id: string | null;
  action: string;
  subject_kind: string | null;
  subject_id: string | null;
  details: Record<string, unknown>;
  prev_hash: string;
  hash: string;
}

export function toAuditEvent(row: AuditRow): AuditEvent {
  return {
    seq: Number(row.seq),
    at: new Date(row.at),
    actor: { kind: row.actor_kind as AuditEvent['actor']['kind'], id: row.actor_id },
    action: row.action,
    subject: row.subject_kind === null ? null : { kind: row.subject_kind, id: row.subject_id },
    details: row.details,
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}
