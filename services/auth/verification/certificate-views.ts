import { createHash } from 'node:crypto';
import type { Knex } from 'knex';
import { parseCertificate, type CertificateView } from '../../../shared/x509/index.js';

/**
 * Card certificates parsed once and kept by SHA-256 fingerprint (least recently used out
 * first). A reader presents the same certificate at every tap: hashing its DER costs
 * microseconds, parsing it (ASN.1, extensions, a node:crypto KeyObject) far more. A reader may
 * also send only the fingerprint of a certificate the platform issued (`certificateRef`).
 */
export class CertificateViews {
  readonly #views = new Map<string, CertificateView>();
  /** The same views by the base64 text readers send, so a known certificate costs one lookup. */
  readonly #byBase64 = new Map<string, CertificateView>();

  constructor(
    private readonly knex: Knex,
    private readonly capacity = 100_000,
  ) {}

  /** The view of `der`; throws ERR_PKI_CERT_MALFORMED (not cached) when it is not a certificate. */
  fromDer(der: Uint8Array): CertificateView {
    const fingerprint = createHash('sha256').update(der).digest('hex');
    return this.#views.get(fingerprint) ?? this.#keep(parseCertificate(der));
  }

  /** The view of a certificate sent in base64 (a tap answer): looked up by its text before any decoding. */
  fromBase64(text: string): CertificateView {
    const hit = this.#byBase64.get(text);
    if (hit) return hit;
    const view = this.fromDer(Buffer.from(text, 'base64'));
    this.#byBase64.set(text, view);
    if (this.#byBase64.size > this.capacity) this.#byBase64.delete(this.#byBase64.keys().next().value!);
    return view;
  }

  /** The view for a fingerprint: seen before, or a certificate of this platform's CA; undefined otherwise. */
  async fromReference(fingerprint: string): Promise<CertificateView | undefined> {
    const hit = this.#views.get(fingerprint);
    if (hit) return hit;
    const row = (await this.knex('pki_certificates').where({ fingerprint }).first('certificate_der')) as { certificate_der: Uint8Array } | undefined;
    return row ? this.#keep(parseCertificate(new Uint8Array(row.certificate_der))) : undefined;
  }

  #keep(view: CertificateView): CertificateView {
    this.#views.set(view.fingerprint, view);
    if (this.#views.size > this.capacity) this.#views.delete(this.#views.keys().next().value!);
    return view;
  }
}
