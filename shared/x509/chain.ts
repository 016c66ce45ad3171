import { TesseraError, isTesseraError } from '../errors/index.js';
import type { CertificateView } from './certificate-view.js';
import { revocationOf, verifyCrlIssuedBy, type CrlView } from './crl-view.js';
import { PROCESSED_EXTENSIONS } from './oids.js';
import { verifySignedParts } from './signature.js';

export interface ChainOptions {
  /** Certificates trusted as they are (roots, or a foreign issuing CA limited to chosen modules). */
  readonly anchors: readonly CertificateView[];
  /** Untrusted certificates that may complete the path (the issuing CA a reader presents, ...). */
  readonly intermediates?: readonly CertificateView[];
  /** The moment of verification; every certificate and CRL must be valid then. */
  readonly at: Date;
  /**
   * 'require': every certificate below the anchor must be covered by a current CRL from its
   * issuer in `crls`, or the chain fails (ERR_PKI_CRL_MISSING). 'skip' is for callers that check
   * status some other way (the platform's own certificate table). There is no "if present".
   */
  readonly revocation: 'require' | 'skip';
  readonly crls?: readonly CrlView[];
  /** Certificates in the path, leaf and anchor included. */
  readonly maxLength?: number;
}

export interface VerifiedChain {
  /** Leaf first, anchor last. */
  readonly path: readonly CertificateView[];
  readonly anchor: CertificateView;
}

/** CRL signatures already checked against an issuer, so a cached CRL is verified once per issuer. */
const verifiedCrls = new WeakMap<CrlView, Set<string>>();

/**
 * RFC 5280 §6 path validation, reduced to what a PIV relying party needs. Reads top to bottom
 * as the checks it makes; every failure throws a coded TesseraError (fail closed).
 */
export function verifyChain(leaf: CertificateView, options: ChainOptions): VerifiedChain {
  const maxLength = options.maxLength ?? 5;
  const anchors = new Map(options.anchors.map((a) => [a.fingerprint, a]));
  const path: CertificateView[] = [leaf];
  let current = leaf;
  for (;;) {
    // Each certificate is within its validity period at the moment of use (§6.1.3 (a)(2)).
    requireValidAt(current, options.at);
    if (anchors.has(current.fingerprint)) return { path, anchor: current };
    // A critical extension we do not understand makes the certificate unusable (§4.2).
    requireKnownCriticalExtensions(current);
    if (path.length >= maxLength) {
      throw new TesseraError('ERR_PKI_PATH_TOO_LONG', `No trust anchor within ${maxLength} certificates of ${leaf.subject}`);
    }
    // Its issuer is a trust anchor or a supplied intermediate whose key verifies its signature (§6.1.3 (a)(1)).
    const issuer = findSigningIssuer(current, options, anchors, path);
    // The issuer may sign certificates, and the path below it is no longer than it allows (§4.2.1.9).
    requireCertificateAuthority(issuer, path.length - 1);
    // The certificate is not on its issuer's current CRL (§6.1.3 (a)(3)).
    if (options.revocation === 'require') requireNotRevoked(current, issuer, options);
    path.push(issuer);
    current = issuer;
  }
}

export function requireValidAt(cert: CertificateView, at: Date): void {
  if (at.getTime() < cert.notBefore.getTime()) {
    throw new TesseraError('ERR_PKI_CERT_NOT_YET_VALID', `${cert.subject} is valid from ${cert.notBefore.toISOString()}`, {
      serial: cert.serial,
      notBefore: cert.notBefore.toISOString(),
    });
  }
  if (at.getTime() > cert.notAfter.getTime()) {
    throw new TesseraError('ERR_PKI_CERT_EXPIRED', `${cert.subject} expired at ${cert.notAfter.toISOString()}`, {
      serial: cert.serial,
      notAfter: cert.notAfter.toISOString(),
    });
  }
}

function requireKnownCriticalExtensions(cert: CertificateView): void {
  const unknown = cert.extensions.critical.filter((oid) => !PROCESSED_EXTENSIONS.has(oid));
  if (unknown.length > 0) {
    throw new TesseraError('ERR_PKI_UNKNOWN_CRITICAL_EXTENSION', `${cert.subject} has critical extensions ${unknown.join(', ')}`, {
      extensions: unknown,
    });
  }
}

function findSigningIssuer(
  cert: CertificateView,
  options: ChainOptions,
  anchors: ReadonlyMap<string, CertificateView>,
  path: readonly CertificateView[],
): CertificateView {
  const seen = new Set(path.map((c) => c.fingerprint));
  const candidates = [...anchors.values(), ...(options.intermediates ?? [])].filter(
    (c) =>
      !seen.has(c.fingerprint) &&
      Buffer.from(c.subjectDer).equals(cert.issuerDer) &&
      // With both key identifiers present they must agree (§4.2.1.1); names alone can collide across rollovers.
      (cert.extensions.authorityKeyId === undefined ||
        c.extensions.subjectKeyId === undefined ||
        cert.extensions.authorityKeyId === c.extensions.subjectKeyId),
  );
  let lastFailure: unknown;
  for (const candidate of candidates) {
    try {
      verifySignedParts(cert.signed, candidate.publicKey, cert.subject);
      return candidate;
    } catch (error) {
      lastFailure = error;
    }
  }
  if (isTesseraError(lastFailure)) throw lastFailure;
  throw new TesseraError('ERR_PKI_CHAIN_UNTRUSTED', `No trusted issuer for ${cert.subject} (issued by ${cert.issuer})`, {
    issuer: cert.issuer,
  });
}

function requireCertificateAuthority(issuer: CertificateView, intermediatesBelow: number): void {
  const { basicConstraints, keyUsage } = issuer.extensions;
  if (!basicConstraints?.ca) throw new TesseraError('ERR_PKI_NOT_A_CA', `${issuer.subject} is not a CA (basicConstraints)`);
  if (keyUsage && !keyUsage.has('keyCertSign')) {
    throw new TesseraError('ERR_PKI_NOT_A_CA', `${issuer.subject} may not sign certificates (no keyCertSign)`);
  }
  if (basicConstraints.pathLength !== undefined && intermediatesBelow > basicConstraints.pathLength) {
    throw new TesseraError('ERR_PKI_PATH_TOO_LONG', `${issuer.subject} allows ${basicConstraints.pathLength} intermediates below it`);
  }
}

function requireNotRevoked(cert: CertificateView, issuer: CertificateView, options: ChainOptions): void {
  const crl = (options.crls ?? []).find((c) => Buffer.from(c.issuerDer).equals(issuer.subjectDer) && crlVerifiedBy(c, issuer));
  if (!crl) throw new TesseraError('ERR_PKI_CRL_MISSING', `No CRL from ${issuer.subject} to check ${cert.subject}`);
  // A CRL past its nextUpdate says nothing about today (§6.3.3 (a)(2)); fail closed.
  if (crl.nextUpdate && options.at.getTime() > crl.nextUpdate.getTime()) {
    throw new TesseraError('ERR_PKI_CRL_EXPIRED', `The CRL of ${issuer.subject} expired at ${crl.nextUpdate.toISOString()}`);
  }
  const entry = revocationOf(crl, cert.serial);
  if (entry && entry.revokedAt.getTime() <= options.at.getTime()) {
    throw new TesseraError('ERR_PKI_CERT_REVOKED', `${cert.subject} (serial ${cert.serial}) is revoked: ${entry.reason}`, {
      serial: cert.serial,
      reason: entry.reason,
      revokedAt: entry.revokedAt.toISOString(),
    });
  }
}

function crlVerifiedBy(crl: CrlView, issuer: CertificateView): boolean {
  const done = verifiedCrls.get(crl);
  if (done?.has(issuer.fingerprint)) return true;
  try {
    verifyCrlIssuedBy(crl, issuer);
  } catch {
    return false;
  }
  verifiedCrls.set(crl, (done ?? new Set()).add(issuer.fingerprint));
  return true;
}
