import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { appendAudit, type AuditActor } from '../../../shared/audit/index.js';
import { TesseraError } from '../../../shared/errors/index.js';
import { mintReaderCredential } from './reader-credential.js';
import { toReaderRecord, type ReaderKind, type ReaderRecord, type ReaderStatus } from './reader-record.js';

type Queryable = Knex | Knex.Transaction;

/** Every process drops its cached copy of a reader when this channel names it (payload: reader id). */
export const READER_STATUS_CHANNEL = 'tessera_reader_status';

export interface NewReader {
  readonly name: string;
  readonly kind: ReaderKind;
  readonly site: string;
  readonly location?: string | undefined;
  readonly module?: string | null | undefined;
  readonly target?: string | null | undefined;
}

export interface ReaderChange {
  readonly actor: AuditActor;
  readonly now: Date;
}

export async function findReader(q: Queryable, id: string): Promise<ReaderRecord | undefined> {
  const row = await q('readers').where({ id }).first();
  return row ? toReaderRecord(row) : undefined;
}

export async function getReader(q: Queryable, id: string): Promise<ReaderRecord> {
  const reader = await findReader(q, id);
  if (!reader) throw new TesseraError('ERR_READER_NOT_FOUND', `No reader ${id}`);
  return reader;
}

export async function findReaderByName(q: Queryable, name: string): Promise<ReaderRecord | undefined> {
  const row = await q('readers').where({ name }).first();
  return row ? toReaderRecord(row) : undefined;
}

export interface ReaderFilter {
  readonly site?: string | undefined;
  readonly kind?: ReaderKind | undefined;
  readonly status?: ReaderStatus | undefined;
  readonly flagged?: boolean | undefined;
  readonly firmwareVersion?: string | undefined;
  /** Online: active with a heartbeat at or after `since`; offline: anything else. */
  readonly online?: { readonly value: boolean; readonly since: Date } | undefined;
  readonly afterName?: string | undefined;
  readonly limit: number;
}

export async function listReaders(q: Queryable, filter: ReaderFilter): Promise<ReaderRecord[]> {
  const query = q('readers').orderBy('name').limit(filter.limit);
  if (filter.site !== undefined) query.where({ site: filter.site });
  if (filter.kind !== undefined) query.where({ kind: filter.kind });
  if (filter.status !== undefined) query.where({ status: filter.status });
  if (filter.firmwareVersion !== undefined) query.where({ firmware_version: filter.firmwareVersion });
  if (filter.flagged === true) query.whereNotNull('flagged_at');
  if (filter.flagged === false) query.whereNull('flagged_at');
  if (filter.online?.value === true) query.where({ status: 'active' }).where('last_heartbeat_at', '>=', filter.online.since);
  if (filter.online?.value === false) {
    const since = filter.online.since;
    query.where((w) => w.whereNot({ status: 'active' }).orWhereNull('last_heartbeat_at').orWhere('last_heartbeat_at', '<', since));
  }
  if (filter.afterName !== undefined) query.where('name', '>', filter.afterName);
  return (await query).map(toReaderRecord);
}

/** Registers a reader and mints its credential, which the caller shows once and the platform never sees again. */
export async function createReader(trx: Knex.Transaction, input: NewReader, change: ReaderChange): Promise<{ reader: ReaderRecord; credential: string }> {
  if (await findReaderByName(trx, input.name)) throw new TesseraError('ERR_READER_NAME_TAKEN', `A reader named ${input.name} exists`);
  const id = randomUUID();
  const minted = mintReaderCredential(id);
  const [row] = await trx('readers')
    .insert({
      id,
      name: input.name,
      kind: input.kind,
      site: input.site,
      location: input.location ?? '',
      module: input.module ?? null,
      target: input.target ?? null,
      status: 'active',
      credential_hash: minted.hash,
      credential_issued_at: change.now,
      created_at: change.now,
      status_changed_at: change.now,
    })
    .returning('*');
  const reader = toReaderRecord(row);
  await appendAudit(trx, {
    actor: change.actor,
    action: 'reader.create',
    subject: { kind: 'reader', id },
    details: { name: reader.name, kind: reader.kind, site: reader.site, module: reader.module, target: reader.target },
    at: change.now,
  });
  return { reader, credential: minted.credential };
}

export interface ReaderUpdate {
  readonly site?: string | undefined;
  readonly location?: string | undefined;
  readonly module?: string | null | undefined;
  readonly target?: string | null | undefined;
}

export async function updateReader(trx: Knex.Transaction, id: string, update: ReaderUpdate, change: ReaderChange): Promise<ReaderRecord> {
  const before = await lockReader(trx, id);
  const fields = Object.fromEntries(Object.entries(update).filter(([, v]) => v !== undefined));
  if (Object.keys(fields).length === 0) return before;
  const [row] = await trx('readers').where({ id }).update(fields).returning('*');
  await announce(trx, id);
  await appendAudit(trx, { actor: change.actor, action: 'reader.update', subject: { kind: 'reader', id }, details: fields, at: change.now });
  return toReaderRecord(row);
}

const transitions: Record<'suspend' | 'resume' | 'revoke', { from: ReaderStatus[]; to: ReaderStatus }> = {
  suspend: { from: ['active'], to: 'suspended' },
  resume: { from: ['suspended'], to: 'active' },
  revoke: { from: ['active', 'suspended'], to: 'revoked' },
};

/** Suspends, resumes or revokes a reader; every process stops (or resumes) accepting it at once. */
export async function changeReaderStatus(
  trx: Knex.Transaction,
  id: string,
  action: keyof typeof transitions,
  change: ReaderChange & { reason?: string | undefined },
): Promise<ReaderRecord> {
  const before = await lockReader(trx, id);
  const { from, to } = transitions[action];
  if (!from.includes(before.status)) throw new TesseraError('ERR_READER_STATUS', `A ${before.status} reader cannot ${action}`, { status: before.status });
  const [row] = await trx('readers')
    .where({ id })
    .update({ status: to, status_changed_at: change.now, ...(to === 'revoked' ? { credential_hash: null } : {}) })
    .returning('*');
  await announce(trx, id);
  await appendAudit(trx, {
    actor: change.actor,
    action: `reader.${action}`,
    subject: { kind: 'reader', id },
    details: { name: before.name, from: before.status, to, ...(change.reason ? { reason: change.reason } : {}) },
    at: change.now,
  });
  return toReaderRecord(row);
}

/** Replaces the reader's credential: the old one stops working everywhere at once. */
export async function rotateReaderCredential(trx: Knex.Transaction, id: string, change: ReaderChange): Promise<{ reader: ReaderRecord; credential: string }> {
  const before = await lockReader(trx, id);
  if (before.status === 'revoked') throw new TesseraError('ERR_READER_STATUS', 'A revoked reader gets no new credential; register a new reader');
  const minted = mintReaderCredential(id);
  const [row] = await trx('readers').where({ id }).update({ credential_hash: minted.hash, credential_issued_at: change.now }).returning('*');
  await announce(trx, id);
  await appendAudit(trx, { actor: change.actor, action: 'reader.rotate-credential', subject: { kind: 'reader', id }, details: { name: before.name }, at: change.now });
  return { reader: toReaderRecord(row), credential: minted.credential };
}

export interface Heartbeat {
  readonly firmwareVersion: string;
  readonly configVersion: string;
  readonly agentVersion?: string | undefined;
}

/** Records a heartbeat: the time and the versions the reader runs. One small update, no audit row. */
export async function recordHeartbeat(q: Queryable, id: string, beat: Heartbeat, now: Date): Promise<void> {
  await q('readers')
    .where({ id })
    .update({
      last_heartbeat_at: now,
      firmware_version: beat.firmwareVersion,
      config_version: beat.configVersion,
      agent_version: beat.agentVersion ?? null,
    });
}

/** Marks a misbehaving reader for an admin to look at; the first flag wins until it is cleared. */
export async function flagReader(trx: Knex.Transaction, id: string, reason: string, change: ReaderChange): Promise<boolean> {
  const updated = await trx('readers').where({ id }).whereNull('flagged_at').update({ flagged_at: change.now, flag_reason: reason });
  if (updated === 0) return false;
  await announce(trx, id);
  await appendAudit(trx, { actor: change.actor, action: 'reader.flag', subject: { kind: 'reader', id }, details: { reason }, at: change.now });
  return true;
}

export async function clearReaderFlag(trx: Knex.Transaction, id: string, change: ReaderChange): Promise<ReaderRecord> {
  const before = await lockReader(trx, id);
  const [row] = await trx('readers').where({ id }).update({ flagged_at: null, flag_reason: null }).returning('*');
  await announce(trx, id);
  await appendAudit(trx, { actor: change.actor, action: 'reader.clear-flag', subject: { kind: 'reader', id }, details: { name: before.name, was: before.flagReason }, at: change.now });
  return toReaderRecord(row);
}

async function lockReader(trx: Knex.Transaction, id: string): Promise<ReaderRecord> {
  const row = await trx('readers').where({ id }).forUpdate().first();
  if (!row) throw new TesseraError('ERR_READER_NOT_FOUND', `No reader ${id}`);
  return toReaderRecord(row);
}

async function announce(trx: Knex.Transaction, id: string): Promise<void> {
  await trx.raw('select pg_notify(?, ?)', [READER_STATUS_CHANNEL, id]);
}
