import { randomUUID } from 'node:crypto';
import { TesseraError } from '../errors/index.js';
import { assertAmount } from './amount.js';
import { canonicalHash, canonicalValue } from './canonical-json.js';
import type { TransferInput } from './types.js';

/** A transfer request checked field by field, with nothing optional left undefined. */
export interface NormalizedTransfer {
  readonly idempotencyKey: string;
  readonly debitAccountId: string;
  readonly creditAccountId: string;
  readonly amount: number;
  readonly currency: string;
  readonly reason: string;
  readonly module: string;
  readonly tapId: string | null;
  readonly staffId: string | null;
  readonly reversesTransferId: string | null;
  readonly metadata: Record<string, unknown> | null;
}

/** A request ready for the database: its id and time are fixed before the first attempt, so a retry writes the same row. */
export interface PreparedTransfer {
  readonly request: NormalizedTransfer;
  /** SHA-256 of the canonical request without its key: "the same body". */
  readonly requestHash: string;
  readonly transferId: string;
  readonly createdAt: Date;
}

export const IDEMPOTENCY_KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;
const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const CURRENCY_PATTERN = /^[A-Z]{3}$/;
const MAX_METADATA_BYTES = 4096;

export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && UUID_PATTERN.test(value);
}

export function prepareTransfer(input: TransferInput, now: Date): PreparedTransfer {
  const request = normalizeTransfer(input);
  const { idempotencyKey: _key, ...body } = request;
  return { request, requestHash: canonicalHash(body), transferId: randomUUID(), createdAt: now };
}

/** Checks every field in the order a reader of the request would: key, accounts, amount, then the description. */
export function normalizeTransfer(input: TransferInput): NormalizedTransfer {
  if (typeof input.idempotencyKey !== 'string' || !IDEMPOTENCY_KEY_PATTERN.test(input.idempotencyKey)) {
    throw new TesseraError('ERR_IDEMPOTENCY_KEY_INVALID', 'The idempotency key must be 1 to 255 visible ASCII characters');
  }
  // An id that cannot be a uuid names no account; saying so is the truthful answer.
  for (const accountId of [input.debitAccountId, input.creditAccountId]) {
    if (!isUuid(accountId)) throw new TesseraError('ERR_ACCOUNT_NOT_FOUND', `No ledger account ${String(accountId)}`, { accountId: String(accountId) });
  }
  const debitAccountId = input.debitAccountId.toLowerCase();
  const creditAccountId = input.creditAccountId.toLowerCase();
  if (debitAccountId === creditAccountId) {
    throw new TesseraError('ERR_SAME_ACCOUNT', 'The debit and credit accounts must differ', { accountId: debitAccountId });
  }
  const amount = assertAmount(input.amount);
  if (typeof input.currency !== 'string' || !CURRENCY_PATTERN.test(input.currency)) {
    throw new TesseraError('ERR_TRANSFER_INVALID', 'currency must be an ISO 4217 code such as GBP', { field: 'currency' });
  }
  const reversesTransferId = input.reversesTransferId ?? null;
  if (reversesTransferId !== null && !isUuid(reversesTransferId)) {
    throw new TesseraError('ERR_TRANSFER_NOT_FOUND', `No transfer ${String(reversesTransferId)}`, { transferId: String(reversesTransferId) });
  }
  return {
    idempotencyKey: input.idempotencyKey,
    debitAccountId,
    creditAccountId,
    amount,
    currency: input.currency,
    reason: text(input.reason, 'reason', 500),
    module: text(input.module, 'module', 64),
    tapId: optionalText(input.tapId, 'tapId'),
    staffId: optionalText(input.staffId, 'staffId'),
    reversesTransferId: reversesTransferId?.toLowerCase() ?? null,
    metadata: metadataOf(input.metadata),
  };
}

function text(value: unknown, field: string, max: number): string {
  if (typeof value !== 'string' || value.length < 1 || value.length > max) {
    throw new TesseraError('ERR_TRANSFER_INVALID', `${field} must be text of 1 to ${max} characters`, { field });
  }
  return value;
}

function optionalText(value: unknown, field: string): string | null {
  return value === undefined || value === null ? null : text(value, field, 200);
}

function metadataOf(value: unknown): Record<string, unknown> | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new TesseraError('ERR_TRANSFER_INVALID', 'metadata must be a JSON object', { field: 'metadata' });
  }
  let json: string;
  try {
    json = JSON.stringify(canonicalValue(value));
  } catch {
    throw new TesseraError('ERR_TRANSFER_INVALID', 'metadata must be serialisable as JSON', { field: 'metadata' });
  }
  if (Buffer.byteLength(json) > MAX_METADATA_BYTES) {
    throw new TesseraError('ERR_TRANSFER_INVALID', `metadata must be at most ${MAX_METADATA_BYTES} bytes of JSON`, { field: 'metadata' });
  }
  // The round trip drops what JSON (and so jsonb) cannot keep, so the first answer equals every replay.
  return JSON.parse(json) as Record<string, unknown>;
}
