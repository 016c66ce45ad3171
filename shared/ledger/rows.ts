import type { Knex } from 'knex';
import type { Database } from '../db/index.js';
import { nullableSafeInteger, safeInteger } from './amount.js';
import { canonicalValue } from './canonical-json.js';
import type { Account, AccountKind, Transfer } from './types.js';

/** Primitives accept the platform's Database, its knex, or a transaction the caller holds. */
export type LedgerDb = Database | Knex;

export function knexOf(db: LedgerDb): Knex {
  // A knex instance and a knex transaction are both callable; the platform's Database is a plain object.
  return typeof db === 'function' ? db : db.knex;
}

export interface AccountRow {
  id: string;
  kind: string;
  currency: string;
  floor: unknown;
  balance: unknown;
  label: string | null;
  owner_ref: string | null;
  created_at: Date | string;
}

export function accountFromRow(row: AccountRow): Account {
  return {
    id: row.id,
    kind: row.kind as AccountKind,
    currency: row.currency,
    floor: nullableSafeInteger(row.floor, `floor of account ${row.id}`),
    balance: safeInteger(row.balance, `balance of account ${row.id}`),
    label: row.label,
    ownerRef: row.owner_ref,
    createdAt: isoOf(row.created_at),
  };
}

export interface TransferRow {
  id: string;
  debit_account_id: string;
  credit_account_id: string;
  amount: unknown;
  currency: string;
  reason: string;
  module: string;
  tap_id: string | null;
  staff_id: string | null;
  reverses_transfer_id: string | null;
  metadata: unknown;
  created_at: Date | string;
}

export const transferColumns =
  't.id, t.debit_account_id, t.credit_account_id, t.amount, t.currency, t.reason, t.module, t.tap_id, t.staff_id, t.reverses_transfer_id, t.metadata, t.created_at';

export function transferFromRow(row: TransferRow): Transfer {
  return {
    id: row.id,
    debitAccountId: row.debit_account_id,
    creditAccountId: row.credit_account_id,
    amount: safeInteger(row.amount, `amount of transfer ${row.id}`),
    currency: row.currency,
    reason: row.reason,
    module: row.module,
    tapId: row.tap_id,
    staffId: row.staff_id,
    reversesTransferId: row.reverses_transfer_id,
    metadata: row.metadata === null || row.metadata === undefined ? null : (canonicalValue(jsonOf(row.metadata)) as Record<string, unknown>),
    createdAt: isoOf(row.created_at),
  };
}

export function isoOf(value: Date | string): string {
  return (value instanceof Date ? value : new Date(value)).toISOString();
}

function jsonOf(value: unknown): unknown {
  return typeof value === 'string' ? JSON.parse(value) : value;
}
