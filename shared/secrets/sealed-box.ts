import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

const VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * AES-256-GCM with the purpose as associated data: a sealed value only opens for the purpose
 * it was sealed for (a card's PUK cannot be passed off as another card's management key).
 * Format: `v1:` + base64(iv | tag | ciphertext).
 */
export class SealedBox {
  readonly #key: Buffer;

  constructor(key: Buffer) {
    if (key.length !== 32) throw new Error('SealedBox needs a 32-byte key');
    this.#key = key;
  }

  seal(plaintext: Uint8Array | string, purpose: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.#key, iv);
    cipher.setAAD(Buffer.from(purpose, 'utf8'));
    const body = Buffer.concat([cipher.update(typeof plaintext === 'string' ? Buffer.from(plaintext, 'utf8') : plaintext), cipher.final()]);
    return `${VERSION}:${Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64')}`;
  }

  open(sealed: string, purpose: string): Buffer {
    const [version, encoded] = sealed.split(':', 2);
    if (version !== VERSION || !encoded) throw new Error('not a sealed value of a known version');
    const raw = Buffer.from(encoded, 'base64');
    const decipher = createDecipheriv('aes-256-gcm', this.#key, raw.subarray(0, IV_BYTES));
    decipher.setAAD(Buffer.from(purpose, 'utf8'));
    decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    return Buffer.concat([decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]);
  }

  openText(sealed: string, purpose: string): string {
    return this.open(sealed, purpose).toString('utf8');
  }
}
