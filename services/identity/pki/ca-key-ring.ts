import type { webcrypto } from 'node:crypto';
import { TesseraError } from '../../../shared/errors/index.js';
import type { SealedBox } from '../../../shared/secrets/index.js';
import type { Authority } from './authority-store.js';
import { caKeyPurpose, importSigningKey } from './ca-keys.js';

/**
 * The CA signing keys of one process: unsealed on first use into non-extractable WebCrypto
 * keys and kept by authority id (a row's key never changes). Nothing here is ever logged.
 */
export class CaKeyRing {
  readonly #secrets: SealedBox;
  readonly #keys = new Map<string, Promise<webcrypto.CryptoKey>>();

  constructor(secrets: SealedBox) {
    this.#secrets = secrets;
  }

  signingKey(authority: Authority): Promise<webcrypto.CryptoKey> {
    const cached = this.#keys.get(authority.id);
    if (cached) return cached;
    if (!authority.sealedKey) {
      return Promise.reject(new TesseraError('ERR_PKI_NOT_INITIALISED', `The platform holds no key for ${authority.certificate.subject}`));
    }
    let pkcs8: Uint8Array;
    try {
      const opened = this.#secrets.open(authority.sealedKey, caKeyPurpose(authority.role, authority.id));
      // A view, not a copy: wiping it below wipes the only plaintext.
      pkcs8 = new Uint8Array(opened.buffer, opened.byteOffset, opened.length);
    } catch (cause) {
      // Only which CA and the likely fix: never the key, the KEK or the sealed value.
      const detail = `The key of ${authority.certificate.subject} does not open: is TESSERA_KEK the key it was sealed with?`;
      return Promise.reject(new TesseraError('ERR_PKI_NOT_INITIALISED', detail, {}, { cause }));
    }
    // Wipe our copy of the plaintext once WebCrypto holds the key.
    const key = importSigningKey(pkcs8).finally(() => pkcs8.fill(0));
    key.catch(() => this.#keys.delete(authority.id));
    this.#keys.set(authority.id, key);
    return key;
  }
}
