import { createHash } from 'node:crypto';
import type { Request, Response } from 'express';
import type { Knex } from 'knex';
import { TesseraError } from '../../../shared/errors/index.js';

export const IDEMPOTENCY_HEADER = 'idempotency-key';
const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;
/** Request fields that are secrets: never part of the stored fingerprint. */
const SECRET_FIELDS = new Set(['pin', 'currentPin', 'newPin']);

export const idempotencyDescription =
  'Takes an optional `Idempotency-Key` header (1 to 255 visible ASCII characters; use a UUID): the same key with the same request ' +
  'returns the first result again (`Idempotent-Replayed: true`) without touching a card; with another request it is refused with 409. ' +
  'A request that failed half way stores nothing: repeating it resumes the issuance.';

export function idempotencyKeyOf(req: Request): string | undefined {
  const key = req.headers[IDEMPOTENCY_HEADER];
  if (key === undefined) return undefined;
  if (typeof key !== 'string' || !KEY_PATTERN.test(key)) {
    throw new TesseraError('ERR_IDEMPOTENCY_KEY_INVALID', 'An Idempotency-Key is 1 to 255 visible ASCII characters (a UUID is best)');
  }
  return key;
}

/** What the key protects: the operation, its target and the body without the PIN. */
export function requestFingerprint(operation: string, target: string, body: Record<string, unknown>): string {
  const kept = Object.fromEntries(Object.entries(body).filter(([k]) => !SECRET_FIELDS.has(k)).sort(([a], [b]) => a.localeCompare(b)));
  return createHash('sha256').update(JSON.stringify({ operation, target, body: kept })).digest('hex');
}

/**
 * Runs a card-creating request once per Idempotency-Key: a finished request's response is
 * stored and replayed; an unfinished one (it failed, or is still running) runs again, which
 * resumes its issuance. Without a key the request simply runs.
 */
export async function idempotent<T extends { id?: string }>(
  knex: Knex,
  exchange: { req: Request; res: Response },
  operation: string,
  fingerprint: string,
  run: () => Promise<T>,
  now: () => Date,
): Promise<T> {
  const key = idempotencyKeyOf(exchange.req);
  if (key === undefined) return run();
  const existing = await knex('issuance_requests').where({ idempotency_key: key }).first();
  if (existing && (existing.operation !== operation || existing.request_hash !== fingerprint)) {
    throw new TesseraError('ERR_IDEMPOTENCY_MISMATCH', 'This Idempotency-Key was used for another request');
  }
  if (existing?.response) {
    exchange.res.setHeader('Idempotent-Replayed', 'true');
    return (typeof existing.response === 'string' ? JSON.parse(existing.response) : existing.response) as T;
  }
  if (!existing) {
    await knex('issuance_requests').insert({ idempotency_key: key, operation, request_hash: fingerprint, created_at: now() }).onConflict('idempotency_key').ignore();
  }
  const result = await run();
  await knex('issuance_requests')
    .where({ idempotency_key: key })
    .update({ response: JSON.stringify(result), status_code: 201, card_id: result.id ?? null, completed_at: now() });
  return result;
}
