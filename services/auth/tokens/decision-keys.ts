import { createPrivateKey } from 'node:crypto';
import type { Knex } from 'knex';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, type JWK } from 'jose';
import type { SealedBox } from '../../../shared/secrets/index.js';
import type { NotificationFeed } from '../notifications/notification-feed.js';
import { tokenSignerOf, type TokenSigner } from './decision-token.js';

/** ES256 (RFC 7518 §3.4): any relying party can check a decision with the public key alone. */
export const DECISION_ALG = 'ES256';
/** Announces a rotation so every process picks the new signing key at once. */
export const TOKEN_KEYS_CHANNEL = 'tessera_token_keys';
/** Any constant: it serialises key creation and rotation across replicas. */
const KEY_LOCK = 7_355_651;

const sealPurpose = (kid: string) => `auth.decision-signing-key:${kid}`;

interface KeyRow {
  kid: string;
  alg: string;
  public_jwk: JWK;
  private_jwk_sealed: string;
  created_at: Date;
  signs_from: Date;
  retire_at: Date | null;
}

/**
 * The keys that sign tap decision tokens. The newest key whose `signs_from` has come signs.
 * Rotation adds a key and gives the older ones a `retire_at` past the lifetime of any token
 * they signed: until then /.well-known/jwks.json still serves them, so no token in flight
 * stops verifying. Private halves are sealed with the key-encryption key.
 */
export class DecisionKeys {
  #signing: Promise<TokenSigner> | undefined;

  constructor(
    private readonly knex: Knex,
    private readonly secrets: SealedBox,
    private readonly now: () => Date,
    feed: NotificationFeed,
  ) {
    feed.subscribe(TOKEN_KEYS_CHANNEL, () => (this.#signing = undefined));
    feed.onReset(() => (this.#signing = undefined));
  }

  signingKey(): Promise<TokenSigner> {
    this.#signing ??= this.#loadOrCreate().catch((error: unknown) => {
      this.#signing = undefined;
      throw error;
    });
    return this.#signing;
  }

  /** Every public key a token in flight may have been signed with (RFC 7517 JWK Set). */
  async jwks(): Promise<{ keys: JWK[] }> {
    const now = this.now();
    const rows = (await this.knex('auth_token_keys')
      .where((w) => w.whereNull('retire_at').orWhere('retire_at', '>', now))
      .orderBy('created_at', 'desc')) as KeyRow[];
    return { keys: rows.map((row) => publicJwkOf(row)) };
  }

  /**
   * Adds a key that signs from now on; keys signing until now retire after `graceSeconds`
   * (at least the token lifetime). Returns the new key id.
   */
  async rotate(graceSeconds: number): Promise<{ kid: string; retiring: string[] }> {
    const now = this.now();
    const created = await this.#generate();
    const retiring = await this.knex.transaction(async (trx) => {
      await trx.raw('select pg_advisory_xact_lock(?)', [KEY_LOCK]);
      const live = (await trx('auth_token_keys').whereNull('retire_at').select('kid')) as { kid: string }[];
      await trx('auth_token_keys').whereNull('retire_at').update({ retire_at: new Date(now.getTime() + graceSeconds * 1000) });
      await trx('auth_token_keys').insert({ ...created, public_jwk: JSON.stringify(created.public_jwk), created_at: now, signs_from: now, retire_at: null });
      await trx.raw('select pg_notify(?, ?)', [TOKEN_KEYS_CHANNEL, created.kid]);
      return live.map((k) => k.kid);
    });
    this.#signing = undefined;
    return { kid: created.kid, retiring };
  }

  async #loadOrCreate(): Promise<TokenSigner> {
    const row = await this.knex.transaction(async (trx) => {
      const current = await this.#current(trx);
      if (current) return current;
      await trx.raw('select pg_advisory_xact_lock(?)', [KEY_LOCK]);
      const again = await this.#current(trx);
      if (again) return again;
      const created = await this.#generate();
      const now = this.now();
      const row = { ...created, created_at: now, signs_from: now, retire_at: null };
      await trx('auth_token_keys').insert({ ...row, public_jwk: JSON.stringify(created.public_jwk) });
      return row as KeyRow;
    });
    const privateJwk = JSON.parse(this.secrets.openText(row.private_jwk_sealed, sealPurpose(row.kid))) as JWK;
    return tokenSignerOf(row.kid, createPrivateKey({ key: privateJwk as import('node:crypto').JsonWebKey, format: 'jwk' }));
  }

  async #current(q: Knex.Transaction): Promise<KeyRow | undefined> {
    const now = this.now();
    return (await q('auth_token_keys')
      .where('signs_from', '<=', now)
      .where((w) => w.whereNull('retire_at').orWhere('retire_at', '>', now))
      // A key that is retiring never signs again while a key that is not exists.
      .orderByRaw('(retire_at is null) desc, signs_from desc, created_at desc')
      .first()) as KeyRow | undefined;
  }

  async #generate(): Promise<Omit<KeyRow, 'created_at' | 'signs_from' | 'retire_at'>> {
    const { publicKey, privateKey } = await generateKeyPair(DECISION_ALG, { extractable: true });
    const publicJwk = await exportJWK(publicKey);
    const kid = await calculateJwkThumbprint(publicJwk);
    return {
      kid,
      alg: DECISION_ALG,
      public_jwk: { ...publicJwk, kid, alg: DECISION_ALG, use: 'sig' },
      private_jwk_sealed: this.secrets.seal(JSON.stringify(await exportJWK(privateKey)), sealPurpose(kid)),
    };
  }
}

function publicJwkOf(row: KeyRow): JWK {
  const jwk = typeof row.public_jwk === 'string' ? (JSON.parse(row.public_jwk) as JWK) : row.public_jwk;
  return { kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y, kid: row.kid, alg: row.alg, use: 'sig' };
}
