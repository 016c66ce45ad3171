import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { appendAudit, type AuditActor } from '../../../shared/audit/index.js';
import { TesseraError, isTesseraError } from '../../../shared/errors/index.js';
import { parseCertificate, parseCrl, verifyCrlIssuedBy, type CertificateView, type CrlView } from '../../../shared/x509/index.js';
import { TRUST_CHANNEL } from '../verification/trust-store.js';
import { toAnchorRecord, type TrustAnchorRecord } from './anchor-record.js';

type Queryable = Knex | Knex.Transaction;

export interface NewAnchor {
  readonly name: string;
  readonly certificate: Uint8Array | string;
  readonly purposes: readonly string[];
  readonly crlUrl?: string | undefined;
  readonly pinPolicyOids?: readonly string[] | undefined;
}

export interface AnchorChange {
  readonly actor: AuditActor;
  readonly now: Date;
}

/** A CA certificate fit to anchor card certificates: parseable, a CA that may sign certificates and CRLs. */
export function checkAnchorCertificate(input: Uint8Array | string, now: Date): CertificateView {
  let certificate: CertificateView;
  try {
    certificate = parseCertificate(input);
  } catch (error) {
    throw new TesseraError('ERR_TRUST_ANCHOR_INVALID', `Not a certificate: ${(error as Error).message}`);
  }
  const { basicConstraints, keyUsage } = certificate.extensions;
  if (!basicConstraints?.ca) throw new TesseraError('ERR_TRUST_ANCHOR_INVALID', `${certificate.subject} is not a CA (basicConstraints)`);
  if (keyUsage && !keyUsage.has('keyCertSign')) throw new TesseraError('ERR_TRUST_ANCHOR_INVALID', `${certificate.subject} may not sign certificates`);
  if (certificate.notAfter.getTime() <= now.getTime()) throw new TesseraError('ERR_TRUST_ANCHOR_INVALID', `${certificate.subject} expired at ${certificate.notAfter.toISOString()}`);
  return certificate;
}

/** A CRL the anchor signed, no older than the one kept (a replayed old CRL would un-revoke cards). */
export function checkAnchorCrl(anchor: TrustAnchorRecord, input: Uint8Array | string): CrlView {
  let crl: CrlView;
  try {
    crl = parseCrl(input);
    verifyCrlIssuedBy(crl, parseCertificate(anchor.certificateDer));
  } catch (error) {
    const why = isTesseraError(error) ? error.message : String(error);
    throw new TesseraError('ERR_TRUST_ANCHOR_CRL_UNAVAILABLE', `The CRL for ${anchor.name} is not valid: ${why}`);
  }
  if (anchor.crlThisUpdate && crl.thisUpdate.getTime() < anchor.crlThisUpdate.getTime()) {
    throw new TesseraError('ERR_TRUST_ANCHOR_CRL_UNAVAILABLE', `The CRL for ${anchor.name} is older than the one already held (${anchor.crlThisUpdate.toISOString()})`);
  }
  return crl;
}

export async function findAnchor(q: Queryable, id: string): Promise<TrustAnchorRecord | undefined> {
  const row = await q('auth_trust_anchors').where({ id }).first();
  return row ? toAnchorRecord(row) : undefined;
}

export async function getAnchor(q: Queryable, id: string): Promise<TrustAnchorRecord> {
  const anchor = await findAnchor(q, id);
  if (!anchor) throw new TesseraError('ERR_TRUST_ANCHOR_NOT_FOUND', `No trust anchor ${id}`);
  return anchor;
}

export async function listAnchors(q: Queryable, options: { activeOnly?: boolean } = {}): Promise<TrustAnchorRecord[]> {
  const query = q('auth_trust_anchors').orderBy('name');
  if (options.activeOnly) query.where({ status: 'active' });
  return (await query).map(toAnchorRecord);
}

export async function addAnchor(trx: Knex.Transaction, input: NewAnchor, change: AnchorChange): Promise<TrustAnchorRecord> {
  const certificate = checkAnchorCertificate(input.certificate, change.now);
  if (await trx('auth_trust_anchors').where({ fingerprint: certificate.fingerprint }).first()) {
    throw new TesseraError('ERR_TRUST_ANCHOR_EXISTS', `${certificate.subject} is already a trust anchor`);
  }
  if (await trx('auth_trust_anchors').where({ name: input.name }).first()) throw new TesseraError('ERR_TRUST_ANCHOR_EXISTS', `A trust anchor named ${input.name} exists`);
  const id = randomUUID();
  const [row] = await trx('auth_trust_anchors')
    .insert({
      id,
      name: input.name,
      certificate_der: Buffer.from(certificate.der),
      fingerprint: certificate.fingerprint,
      subject: certificate.subject,
      purposes: JSON.stringify([...new Set(input.purposes)]),
      pin_policy_oids: JSON.stringify(input.pinPolicyOids ?? []),
      crl_url: input.crlUrl ?? null,
      status: 'active',
      created_at: change.now,
      status_changed_at: change.now,
    })
    .returning('*');
  await announce(trx);
  await appendAudit(trx, {
    actor: change.actor,
    action: 'trust-anchor.add',
    subject: { kind: 'trust-anchor', id },
    details: { name: input.name, subject: certificate.subject, fingerprint: certificate.fingerprint, purposes: [...input.purposes], crlUrl: input.crlUrl ?? null },
    at: change.now,
  });
  return toAnchorRecord(row);
}

export interface AnchorUpdate {
  readonly purposes?: readonly string[] | undefined;
  readonly crlUrl?: string | null | undefined;
  readonly pinPolicyOids?: readonly string[] | undefined;
}

export async function updateAnchor(trx: Knex.Transaction, id: string, update: AnchorUpdate, change: AnchorChange): Promise<TrustAnchorRecord> {
  await getAnchor(trx, id);
  const fields: Record<string, unknown> = {};
  if (update.purposes !== undefined) fields.purposes = JSON.stringify([...new Set(update.purposes)]);
  if (update.pinPolicyOids !== undefined) fields.pin_policy_oids = JSON.stringify(update.pinPolicyOids);
  if (update.crlUrl !== undefined) fields.crl_url = update.crlUrl;
  const [row] = await trx('auth_trust_anchors').where({ id }).update(fields).returning('*');
  await announce(trx);
  await appendAudit(trx, { actor: change.actor, action: 'trust-anchor.update', subject: { kind: 'trust-anchor', id }, details: { ...update }, at: change.now });
  return toAnchorRecord(row);
}

export async function disableAnchor(trx: Knex.Transaction, id: string, change: AnchorChange): Promise<TrustAnchorRecord> {
  const anchor = await getAnchor(trx, id);
  const [row] = await trx('auth_trust_anchors').where({ id }).update({ status: 'disabled', status_changed_at: change.now }).returning('*');
  await announce(trx);
  await appendAudit(trx, { actor: change.actor, action: 'trust-anchor.disable', subject: { kind: 'trust-anchor', id }, details: { name: anchor.name }, at: change.now });
  return toAnchorRecord(row);
}

/** Keeps a checked CRL for the anchor and tells every process (their trust material reloads). */
export async function storeAnchorCrl(q: Knex, anchor: TrustAnchorRecord, crl: CrlView, now: Date): Promise<TrustAnchorRecord> {
  return q.transaction(async (trx) => {
    const [row] = await trx('auth_trust_anchors')
      .where({ id: anchor.id })
      .update({
        crl_der: Buffer.from(crl.der),
        crl_this_update: crl.thisUpdate,
        crl_next_update: crl.nextUpdate ?? null,
        crl_fetched_at: now,
        crl_error: null,
        crl_fetch_claimed_at: null,
      })
      .returning('*');
    await announce(trx);
    return toAnchorRecord(row);
  });
}

export async function recordCrlError(q: Knex, id: string, error: string): Promise<void> {
  await q('auth_trust_anchors').where({ id }).update({ crl_error: error.slice(0, 500), crl_fetch_claimed_at: null });
}

/** Claims the CRL fetch of an anchor for this process for a minute; false when another process holds it. */
export async function claimCrlFetch(q: Knex, id: string, now: Date): Promise<boolean> {
  const updated = await q('auth_trust_anchors')
    .where({ id })
    .where((w) => w.whereNull('crl_fetch_claimed_at').orWhere('crl_fetch_claimed_at', '<', new Date(now.getTime() - 60_000)))
    .update({ crl_fetch_claimed_at: now });
  return updated === 1;
}

async function announce(trx: Knex.Transaction): Promise<void> {
  await trx.raw('select pg_notify(?, ?)', [TRUST_CHANNEL, 'anchors']);
}
