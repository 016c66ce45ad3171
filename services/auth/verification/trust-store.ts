import { TesseraError } from '../../../shared/errors/index.js';
import { requireValidAt, revocationOf, verifyChain, type CertificateView, type CrlView } from '../../../shared/x509/index.js';
import type { NotificationFeed } from '../notifications/notification-feed.js';

/** Anything that changes what the tap path trusts (platform CA, trust anchors, their CRLs) is announced here. */
export const TRUST_CHANNEL = 'tessera_trust';

/** How long trust material is kept without a notification (a safety net, not the mechanism). */
const MATERIAL_MAX_AGE_MS = 5 * 60_000;

/** Another organisation's CA, trusted for chosen purposes only (services/auth/anchors). */
export interface ExternalAnchor {
  readonly id: string;
  readonly name: string;
  readonly certificate: CertificateView;
  readonly purposes: ReadonlySet<string>;
  /** Certificate policy OIDs that mean "PIN-protected key" on this issuer's cards (assurance card+pin). */
  readonly pinPolicyOids: ReadonlySet<string>;
  /** The anchor's current CRL, already checked to be signed by it; undefined until fetched. */
  readonly crl: CrlView | undefined;
}

export interface PlatformTrust {
  readonly anchors: readonly CertificateView[];
  readonly intermediates: readonly CertificateView[];
}

export interface TrustMaterial {
  readonly platform: PlatformTrust;
  readonly external: readonly ExternalAnchor[];
}

export type TrustIssuer = { readonly kind: 'platform' } | { readonly kind: 'external'; readonly anchor: ExternalAnchor };

export interface ResolvedChain {
  readonly issuer: TrustIssuer;
  /** Leaf first, anchor last. */
  readonly path: readonly CertificateView[];
}

/**
 * What card certificates are verified against: the platform's own CA, and the external trust
 * anchors. Building a path costs a signature check per link, so a certificate's path is built
 * once and kept (until trust changes); each tap still checks every certificate's validity at
 * the moment of use and, for an external issuer, its current CRL.
 */
export class TrustStore {
  #material: { at: number; value: Promise<TrustMaterial> } | undefined;
  #generation = 0;
  readonly #paths = new Map<string, { generation: number; chain: ResolvedChain }>();

  constructor(
    private readonly load: () => Promise<TrustMaterial>,
    feed: NotificationFeed,
    private readonly capacity = 100_000,
  ) {
    feed.subscribe(TRUST_CHANNEL, () => this.invalidate());
    feed.onReset(() => this.invalidate());
  }

  invalidate(): void {
    this.#generation++;
    this.#material = undefined;
    this.#paths.clear();
  }

  material(): Promise<TrustMaterial> {
    const now = Date.now();
    if (!this.#material || now - this.#material.at > MATERIAL_MAX_AGE_MS) {
      const value = this.load();
      const entry = { at: now, value };
      this.#material = entry;
      // A failed load is not kept: the next tap tries again.
      value.catch(() => {
        if (this.#material === entry) this.#material = undefined;
      });
    }
    return this.#material.value;
  }

  /**
   * The trusted path of `cert` at `at`, or a coded PKI error (untrusted, expired, revoked,
   * no current CRL). Fails closed: anything not proven good throws.
   */
  async resolve(cert: CertificateView, at: Date): Promise<ResolvedChain> {
    const generation = this.#generation;
    const material = await this.material();
    const kept = this.#paths.get(cert.fingerprint);
    let chain: ResolvedChain;
    if (kept && kept.generation === generation) {
      chain = kept.chain;
      // Each certificate in the path is within its validity at the moment of use (RFC 5280 §6.1.3 (a)(2)).
      for (const link of chain.path) requireValidAt(link, at);
    } else {
      chain = this.#build(cert, material, at);
      if (generation === this.#generation) this.#keep(cert.fingerprint, { generation, chain });
    }
    // Another organisation's certificates are checked against its CRL at every tap (§6.1.3 (a)(3)).
    if (chain.issuer.kind === 'external') requireNotOnCrl(cert, chain.issuer.anchor, at);
    return chain;
  }

  #build(cert: CertificateView, material: TrustMaterial, at: Date): ResolvedChain {
    const { platform } = material;
    let untrusted: unknown;
    if (platform.anchors.length > 0) {
      try {
        // The platform's own cards: status comes from its certificate table (notified), not the CRL it derives from it.
        const verified = verifyChain(cert, { anchors: platform.anchors, intermediates: platform.intermediates, at, revocation: 'skip' });
        return { issuer: { kind: 'platform' }, path: verified.path };
      } catch (error) {
        if (!isUntrusted(error)) throw error;
        untrusted = error;
      }
    }
    for (const anchor of material.external) {
      if (!Buffer.from(anchor.certificate.subjectDer).equals(cert.issuerDer)) continue;
      try {
        const verified = verifyChain(cert, { anchors: [anchor.certificate], at, revocation: 'skip', maxLength: 2 });
        return { issuer: { kind: 'external', anchor }, path: verified.path };
      } catch (error) {
        if (!isUntrusted(error)) throw error;
        untrusted = error;
      }
    }
    throw untrusted ?? new TesseraError('ERR_PKI_CHAIN_UNTRUSTED', `No trust anchor for ${cert.subject} (issued by ${cert.issuer})`);
  }

  #keep(fingerprint: string, entry: { generation: number; chain: ResolvedChain }): void {
    this.#paths.set(fingerprint, entry);
    if (this.#paths.size > this.capacity) this.#paths.delete(this.#paths.keys().next().value!);
  }
}

function isUntrusted(error: unknown): boolean {
  return error instanceof TesseraError && (error.code === 'ERR_PKI_CHAIN_UNTRUSTED' || error.code === 'ERR_PKI_SIGNATURE_INVALID');
}

function requireNotOnCrl(cert: CertificateView, anchor: ExternalAnchor, at: Date): void {
  const crl = anchor.crl;
  if (!crl) throw new TesseraError('ERR_PKI_CRL_MISSING', `No CRL of ${anchor.name} has been fetched yet`);
  if (crl.nextUpdate && at.getTime() > crl.nextUpdate.getTime()) {
    throw new TesseraError('ERR_PKI_CRL_EXPIRED', `The CRL of ${anchor.name} expired at ${crl.nextUpdate.toISOString()}`);
  }
  const entry = revocationOf(crl, cert.serial);
  if (entry && entry.revokedAt.getTime() <= at.getTime()) {
    throw new TesseraError('ERR_PKI_CERT_REVOKED', `${cert.subject} is on the CRL of ${anchor.name}: ${entry.reason}`, { reason: entry.reason });
  }
}
