import type { Knex } from 'knex';
import { CertificateCache, type CertificateView } from '../../../shared/x509/index.js';
import type { CaRole } from './ca-keys.js';

export type AuthorityOrigin = 'generated' | 'imported';

/** One certification authority of the platform, with its certificate parsed (once per process). */
export interface Authority {
  readonly id: string;
  readonly role: CaRole;
  readonly origin: AuthorityOrigin;
  /** 0 for the issuing CA, counting up to the root. */
  readonly chainPosition: number;
  readonly keyAlgorithm: string;
  readonly certificate: CertificateView;
  /** Present when the platform holds the key; never leaves this room unsealed. */
  readonly sealedKey: string | undefined;
}

interface AuthorityRow {
  id: string;
  role: CaRole;
  origin: AuthorityOrigin;
  chain_position: number;
  key_algorithm: string;
  certificate_der: Uint8Array;
  sealed_private_key: string | null;
}

const views = new CertificateCache(64);

/** The active hierarchy, issuing CA first and root last (the order of the served chain). */
export async function activeAuthorities(q: Knex | Knex.Transaction): Promise<Authority[]> {
  const rows: AuthorityRow[] = await q('pki_authorities')
    .select('id', 'role', 'origin', 'chain_position', 'key_algorithm', 'certificate_der', 'sealed_private_key')
    .where({ status: 'active' })
    .orderBy('chain_position', 'asc');
  return rows.map((row) => ({
    id: row.id,
    role: row.role,
    origin: row.origin,
    chainPosition: Number(row.chain_position),
    keyAlgorithm: row.key_algorithm,
    certificate: views.view(new Uint8Array(row.certificate_der)),
    sealedKey: row.sealed_private_key ?? undefined,
  }));
}

export interface NewAuthority {
  readonly id: string;
  readonly role: CaRole;
  readonly origin: AuthorityOrigin;
  readonly chainPosition: number;
  readonly keyAlgorithm: string;
  readonly certificate: CertificateView;
  readonly sealedKey: string | undefined;
}

export async function insertAuthority(trx: Knex.Transaction, authority: NewAuthority, now: Date): Promise<void> {
  await trx('pki_authorities').insert({
    id: authority.id,
    role: authority.role,
    status: 'active',
    origin: authority.origin,
    chain_position: authority.chainPosition,
    subject: authority.certificate.subject,
    serial: authority.certificate.serial,
    fingerprint: authority.certificate.fingerprint,
    key_algorithm: authority.keyAlgorithm,
    certificate_der: Buffer.from(authority.certificate.der),
    sealed_private_key: authority.sealedKey ?? null,
    not_before: authority.certificate.notBefore,
    not_after: authority.certificate.notAfter,
    created_at: now,
  });
}

/** Retires the whole active hierarchy (before an import with --replace). Returns how many rows. */
export async function retireActiveAuthorities(trx: Knex.Transaction, now: Date): Promise<number> {
  return trx('pki_authorities').where({ status: 'active' }).update({ status: 'retired', retired_at: now });
}

/**
 * Serialises work on one CA across processes: CRL numbering and issuance hold this row lock
 * until their transaction ends, so two replicas never publish the same cRLNumber.
 */
export async function lockAuthority(trx: Knex.Transaction, authorityId: string): Promise<void> {
  await trx('pki_authorities').select('id').where({ id: authorityId }).forUpdate();
}

/** Any constant: the same for every Tessera process on one database. */
const HIERARCHY_LOCK = 7_355_609;

/**
 * Serialises creating or replacing the hierarchy: a transaction-scoped advisory lock, so two
 * processes starting together queue here and the second finds the first one's CA.
 */
export async function lockHierarchy(trx: Knex.Transaction): Promise<void> {
  await trx.raw('select pg_advisory_xact_lock(?)', [HIERARCHY_LOCK]);
}
