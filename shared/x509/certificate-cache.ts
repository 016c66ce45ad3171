import { createHash } from 'node:crypto';
import { parseCertificate, type CertificateView } from './certificate-view.js';

/**
 * Parsed certificates by SHA-256 of their DER, least recently used evicted first. A reader
 * presents the same card certificate on every tap; hashing the DER costs microseconds, parsing
 * it (ASN.1, extensions, KeyObject) costs far more, so each certificate is parsed once.
 */
export class CertificateCache {
  readonly #entries = new Map<string, CertificateView>();
  readonly #capacity: number;

  constructor(capacity = 10_000) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError('capacity must be a positive integer');
    this.#capacity = capacity;
  }

  get size(): number {
    return this.#entries.size;
  }

  /** The parsed view of `der`, parsing it only on first sight. Malformed input is not cached. */
  view(der: Uint8Array): CertificateView {
    const key = createHash('sha256').update(der).digest('hex');
    const hit = this.#entries.get(key);
    if (hit) {
      // Map keeps insertion order: re-inserting marks the entry most recently used.
      this.#entries.delete(key);
      this.#entries.set(key, hit);
      return hit;
    }
    const view = parseCertificate(der);
    this.#entries.set(key, view);
    if (this.#entries.size > this.#capacity) {
      const oldest = this.#entries.keys().next().value;
      if (oldest !== undefined) this.#entries.delete(oldest);
    }
    return view;
  }

  clear(): void {
    this.#entries.clear();
  }
}
