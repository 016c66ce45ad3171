import type { Knex } from 'knex';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, type JWK } from 'jose';
import type { SealedBox } from '../../../shared/secrets/index.js';

/**
 * ES256 (ECDSA P-256, RFC 7518 §3.4): asymmetric, so the auth service or a module running as a
 * separate process (`tessera start --only auth`) can check a staff token with the public key
 * alone, and holding it lets nobody mint one. ES256 rather than EdDSA because every JOSE
 * library and browser WebCrypto supports it.
 */
export const SESSION_ALG = 'ES256';

/** Any constant: it serialises first-start key creation across replicas. */
const KEY_CREATION_LOCK = 7_355_611;

const sealPurpose = (kid: string) => `identity.session-signing-key:${kid}`;

interface KeyRow {
  kid: string;
  alg: string;
  public_jwk: JWK;
  private_jwk_sealed: string;
}

export interface SigningKey {
  readonly kid: string;
  readonly privateKey: CryptoKey;
}

/**
 * The key pair that signs staff session tokens: created at first use, the private half kept
 * sealed by the key-encryption key. The oldest key that is not retired signs; any key not
 * retired verifies, which leaves room for rotation. Keys are cached per process.
 */
export class SessionSigningKeys {
  readonly #knex: Knex;
  readonly #secrets: SealedBox;
  readonly #now: () => Date;
  #signing: Promise<SigningKey> | undefined;
  readonly #verifying = new Map<string, Promise<CryptoKey | undefined>>();

  constructor(knex: Knex, secrets: SealedBox, now: () => Date) {
    this.#knex = knex;
    this.#secrets = secrets;
    this.#now = now;
  }

  signingKey(): Promise<SigningKey> {
    this.#signing ??= this.#loadOrCreate().catch((error: unknown) => {
      this.#signing = undefined;
      throw error;
    });
    return this.#signing;
  }

  /** The public key for a token's `kid`; undefined when no such (unretired) key exists. */
  verificationKey(kid: string): Promise<CryptoKey | undefined> {
    let key = this.#verifying.get(kid);
    if (!key) {
      key = this.#loadPublic(kid);
      this.#verifying.set(kid, key);
      // An unknown kid is not cached, so a key created by another replica is found later.
      void key.then((found) => found ?? this.#verifying.delete(kid), () => this.#verifying.delete(kid));
    }
    return key;
  }

  async #loadPublic(kid: string): Promise<CryptoKey | undefined> {
    const row = (await this.#knex('staff_session_keys').where({ kid }).whereNull('retired_at').first()) as KeyRow | undefined;
    return row ? ((await importJWK(row.public_jwk, row.alg)) as CryptoKey) : undefined;
  }

  async #loadOrCreate(): Promise<SigningKey> {
    const row = await this.#knex.transaction(async (trx) => {
      await trx.raw('select pg_advisory_xact_lock(?)', [KEY_CREATION_LOCK]);
      const existing = (await trx('staff_session_keys').whereNull('retired_at').orderBy('created_at').first()) as KeyRow | undefined;
      if (existing) return existing;
      const created = await this.#generate();
      await trx('staff_session_keys').insert({ ...created, public_jwk: JSON.stringify(created.public_jwk), created_at: this.#now() });
      return created;
    });
    const privateJwk = JSON.parse(this.#secrets.openText(row.private_jwk_sealed, sealPurpose(row.kid))) as JWK;
    return { kid: row.kid, privateKey: (await importJWK(privateJwk, row.alg)) as CryptoKey };
  }

  async #generate(): Promise<KeyRow> {
    const { publicKey, privateKey } = await generateKeyPair(SESSION_ALG, { extractable: true });
    const publicJwk = await exportJWK(publicKey);
    const kid = await calculateJwkThumbprint(publicJwk);
    const privateJwk = await exportJWK(privateKey);
    return {
      kid,
      alg: SESSION_ALG,
      public_jwk: { ...publicJwk, kid, alg: SESSION_ALG, use: 'sig' },
      private_jwk_sealed: this.#secrets.seal(JSON.stringify(privateJwk), sealPurpose(kid)),
    };
  }
}
