import { createHash } from 'node:crypto';
import { exportJWK, generateKeyPair, importJWK, type JWK } from 'jose';
import { TesseraError } from '../../../../shared/errors/index.js';
import type { ModuleContext } from '../../../../shared/modules/index.js';
import { ALLOW_LIST_ALGORITHM } from './allow-list-format.js';

/** The sealing purpose (AES-GCM associated data) of the allow-list private key. */
const SEAL_PURPOSE = 'access.allow-list-signing-key';

export interface SigningKey {
  readonly kid: string;
  readonly privateKey: CryptoKey;
  readonly publicJwk: JWK;
}

const cache = new WeakMap<ModuleContext, Promise<SigningKey>>();

/**
 * The module's allow-list signing key: created once per database (a table lock keeps two
 * replicas from each making one), its private half sealed with the platform's key-encryption key.
 */
export function signingKey(ctx: ModuleContext): Promise<SigningKey> {
  let key = cache.get(ctx);
  if (!key) {
    key = loadOrCreate(ctx);
    key.catch(() => cache.delete(ctx));
    cache.set(ctx, key);
  }
  return key;
}

export async function publicKeys(ctx: ModuleContext): Promise<{ keys: JWK[] }> {
  const rows = await ctx.knex('access_signing_keys').orderBy('created_at').select('public_jwk');
  if (rows.length === 0) return { keys: [(await signingKey(ctx)).publicJwk] };
  return { keys: rows.map((r: any) => (typeof r.public_jwk === 'string' ? JSON.parse(r.public_jwk) : r.public_jwk)) };
}

async function loadOrCreate(ctx: ModuleContext): Promise<SigningKey> {
  const secrets = ctx.secrets;
  if (!secrets) throw new TesseraError('ERR_ACCESS_SIGNING_UNAVAILABLE', 'The platform gave the access module no secrets box to seal its signing key');
  const row = await ctx.knex.transaction(async (trx) => {
    await trx.raw('lock table access_signing_keys in share row exclusive mode');
    const existing = await trx('access_signing_keys').orderBy('created_at', 'desc').first();
    if (existing) return existing;
    const pair = await generateKeyPair(ALLOW_LIST_ALGORITHM, { extractable: true });
    const publicJwk = await exportJWK(pair.publicKey);
    const privateJwk = await exportJWK(pair.privateKey);
    const kid = createHash('sha256').update(JSON.stringify({ crv: publicJwk.crv, kty: publicJwk.kty, x: publicJwk.x, y: publicJwk.y })).digest('base64url').slice(0, 22);
    const fresh = {
      kid,
      public_jwk: JSON.stringify({ ...publicJwk, kid, alg: ALLOW_LIST_ALGORITHM, use: 'sig' }),
      private_key_sealed: secrets.seal(JSON.stringify(privateJwk), SEAL_PURPOSE),
      created_at: ctx.now(),
    };
    await trx('access_signing_keys').insert(fresh);
    return fresh;
  });
  const publicJwk = (typeof row.public_jwk === 'string' ? JSON.parse(row.public_jwk) : row.public_jwk) as JWK;
  const privateKey = (await importJWK(JSON.parse(secrets.openText(row.private_key_sealed, SEAL_PURPOSE)) as JWK, ALLOW_LIST_ALGORITHM)) as CryptoKey;
  return { kid: row.kid, privateKey, publicJwk };
}
