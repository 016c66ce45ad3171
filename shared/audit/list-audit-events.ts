import type { Knex } from 'knex';
import type { AuditActorKind, AuditEvent } from './audit-event.js';
import { toAuditEvent, type AuditRow } from './audit-rows.js';

export interface AuditFilter {
  readonly subjectKind?: string;
  readonly subjectId?: string;
  readonly actorKind?: AuditActorKind;
  readonly actorId?: string;
  readonly action?: string;
  /** Inclusive lower bound on `at`. */
  readonly from?: Date;
  /** Exclusive upper bound on `at`. */
  readonly to?: Date;
  /** Keyset pagination: only events with a smaller seq (the previous page's nextBeforeSeq). */
  readonly beforeSeq?: number;
  readonly limit: number;
}

export interface AuditPage {
  readonly events: AuditEvent[];
  /** Pass as beforeSeq for the next (older) page; null when this was the last page. */
  readonly nextBeforeSeq: number | null;
}

/** Newest first. Reads outside any transaction; the chain is append-only, so pages stay stable. */
export async function listAuditEvents(knex: Knex, filter: AuditFilter): Promise<AuditPage> {
  const query = knex('audit_events').orderBy('seq', 'desc').limit(filter.limit + 1);
  if (filter.subjectKind !== undefined) query.where('subject_kind', filter.subjectKind);
  if (filter.subjectId !== undefined) query.where('subject_id', filter.subjectId);
  if (filter.actorKind !== undefined) query.where('actor_kind', filter.actorKind);
  if (filter.actorId !== undefined) query.where('actor_id', filter.actorId);
  if (filter.action !== undefined) query.where('action', filter.action);
  if (filter.from !== undefined) query.where('at', '>=', filter.from);
  if (filter.to !== undefined) query.where('at', '<', filter.to);
  if (filter.beforeSeq !== undefined) query.where('seq', '<', filter.beforeSeq);
  const rows = (await query) as AuditRow[];
  const events = rows.slice(0, filter.limit).map(toAuditEvent);
  const last = events[events.length - 1];
  return { events, nextBeforeSeq: rows.length > filter.limit && last ? last.seq : null };
}
