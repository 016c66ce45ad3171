import type { CertificateView, CrlView } from '../../../shared/x509/index.js';
import { parseCertificate, parseCrl } from '../../../shared/x509/index.js';

export interface TrustAnchorRecord {
  readonly id: string;
  readonly name: string;
  readonly certificateDer: Uint8Array;
  readonly fingerprint: string;
  readonly subject: string;
  readonly purposes: readonly string[];
  readonly pinPolicyOids: readonly string[];
  readonly crlUrl: string | null;
  readonly crlDer: Uint8Array | null;
  readonly crlThisUpdate: Date | null;
  readonly crlNextUpdate: Date | null;
  readonly crlFetchedAt: Date | null;
  readonly crlError: string | null;
  readonly status: 'active' | 'disabled';
  readonly createdAt: Date;
}

const date = (v: unknown) => (v === null || v === undefined ? null : new Date(v as string));
const list = (v: unknown): string[] => (typeof v === 'string' ? (JSON.parse(v) as string[]) : ((v as string[] | null) ?? []));

export function toAnchorRecord(row: Record<string, any>): TrustAnchorRecord {
  return {
    id: row.id,
    name: row.name,
    certificateDer: new Uint8Array(row.certificate_der),
    fingerprint: row.fingerprint,
    subject: row.subject,
    purposes: list(row.purposes),
    pinPolicyOids: list(row.pin_policy_oids),
    crlUrl: row.crl_url ?? null,
    crlDer: row.crl_der ? new Uint8Array(row.crl_der) : null,
    crlThisUpdate: date(row.crl_this_update),
    crlNextUpdate: date(row.crl_next_update),
    crlFetchedAt: date(row.crl_fetched_at),
    crlError: row.crl_error ?? null,
    status: row.status,
    createdAt: date(row.created_at)!,
  };
}

export function toAnchorView(anchor: TrustAnchorRecord, now: Date) {
  const certificate = parseCertificate(anchor.certificateDer);
  const iso = (d: Date | null) => (d ? d.toISOString() : null);
  return {
    id: anchor.id,
    name: anchor.name,
    subject: anchor.subject,
    fingerprint: anchor.fingerprint,
    notBefore: certificate.notBefore.toISOString(),
    notAfter: certificate.notAfter.toISOString(),
    purposes: [...anchor.purposes],
    pinPolicyOids: [...anchor.pinPolicyOids],
    status: anchor.status,
    crl: {
      url: anchor.crlUrl,
      thisUpdate: iso(anchor.crlThisUpdate),
      nextUpdate: iso(anchor.crlNextUpdate),
      fetchedAt: iso(anchor.crlFetchedAt),
      current: anchor.crlNextUpdate !== null && anchor.crlNextUpdate.getTime() > now.getTime(),
      error: anchor.crlError,
    },
    createdAt: anchor.createdAt.toISOString(),
  };
}

export const anchorViewSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    id: { type: 'string', format: 'uuid' },
    name: { type: 'string' },
    subject: { type: 'string' },
    fingerprint: { type: 'string' },
    notBefore: { type: 'string', format: 'date-time' },
    notAfter: { type: 'string', format: 'date-time' },
    purposes: { type: 'array', items: { type: 'string' } },
    pinPolicyOids: { type: 'array', items: { type: 'string' } },
    status: { type: 'string', enum: ['active', 'disabled'] },
    crl: {
      type: 'object',
      additionalProperties: false,
      properties: {
        url: { type: ['string', 'null'] },
        thisUpdate: { type: ['string', 'null'] },
        nextUpdate: { type: ['string', 'null'] },
        fetchedAt: { type: ['string', 'null'] },
        current: { type: 'boolean', description: 'a CRL is cached and before its nextUpdate; without one, taps are denied revocation_unknown' },
        error: { type: ['string', 'null'] },
      },
    },
    createdAt: { type: 'string', format: 'date-time' },
  },
} as const;

/** The anchor as the trust store holds it: certificate and CRL parsed once. A CRL that fails to parse counts as none. */
export function parsedAnchor(anchor: TrustAnchorRecord): { certificate: CertificateView; crl: CrlView | undefined } {
  const certificate = parseCertificate(anchor.certificateDer);
  let crl: CrlView | undefined;
  try {
    crl = anchor.crlDer ? parseCrl(anchor.crlDer) : undefined;
  } catch {
    crl = undefined;
  }
  return { certificate, crl };
}
