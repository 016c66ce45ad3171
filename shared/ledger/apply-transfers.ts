import type { Knex } from 'knex';
import { safeInteger } from './amount.js';
import { planTransfers, type LedgerState, type LedgerWrites, type LockedAccount, type OriginalTransfer, type PlanOutcome, type StoredRequest } from './plan-transfers.js';
import type { PreparedTransfer } from './prepare-transfer.js';
import { transferColumns, transferFromRow, type TransferRow } from './rows.js';

/**
 * Applies a batch of prepared transfers inside `trx` (one or many: the plain path and the
 * batching engine share this). Locks are taken in one global order, originals by id then
 * accounts by id, so concurrent batches in any number of processes cannot deadlock; the
 * idempotency rows go in last, sorted by key, for the same reason. The CHECK on
 * ledger_accounts is the last word on floors whatever this code decides.
 */
export async function applyTransfers(trx: Knex.Transaction, batch: readonly PreparedTransfer[]): Promise<PlanOutcome[]> {
  const reversalTargets = unique(batch.map((p) => p.request.reversesTransferId).filter((id): id is string => id !== null));
  const originals = reversalTargets.length > 0 ? await lockOriginals(trx, reversalTargets) : new Map<string, OriginalTransfer>();
  const { accounts, storedKeys } = await lockAccounts(
    trx,
    unique(batch.flatMap((p) => [p.request.debitAccountId, p.request.creditAccountId])),
    unique(batch.map((p) => p.request.idempotencyKey)),
  );
  // Usually none of the keys is stored; the results of those that are come from their transfers.
  const stored = storedKeys.length > 0 ? await loadStoredRequests(trx, storedKeys) : new Map<string, StoredRequest>();
  const state: LedgerState = { accounts, originals, stored };
  const { outcomes, writes } = planTransfers(state, batch);
  if (writes.applied.length > 0) await writeLedger(trx, writes);
  return outcomes;
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}

/**
 * Locks the accounts (FOR NO KEY UPDATE, what the balance UPDATE takes anyway, in id order so the
 * lock order is global) and, in the same round trip, finds which keys are already stored. The key
 * lookup sees the statement's snapshot: a key committed by a transaction we waited for may be
 * missed, in which case our insert meets the primary key and the whole attempt is retried.
 */
async function lockAccounts(trx: Knex.Transaction, ids: string[], keys: string[]): Promise<{ accounts: Map<string, LockedAccount>; storedKeys: string[] }> {
  const { rows } = await trx.raw(
    `with locked as (
       select id, currency, floor, balance from ledger_accounts
        where id = any(?::uuid[])
        order by id for no key update
     )
     select id, currency, floor, balance, null as key from locked
     union all
     select null, null, null, null, key from ledger_idempotency where key = any(?::text[])`,
    [ids, keys],
  );
  const accounts = new Map<string, LockedAccount>();
  const storedKeys: string[] = [];
  for (const row of rows as { id: string | null; currency: string; floor: unknown; balance: unknown; key: string | null }[]) {
    if (row.key !== null) {
      storedKeys.push(row.key);
      continue;
    }
    accounts.set(row.id!, {
      id: row.id!,
      currency: row.currency,
      floor: row.floor === null ? null : safeInteger(row.floor, `floor of account ${row.id}`),
      balance: safeInteger(row.balance, `balance of account ${row.id}`),
    });
  }
  return { accounts, storedKeys };
}

async function lockOriginals(trx: Knex.Transaction, ids: string[]): Promise<Map<string, OriginalTransfer>> {
  // The lock serialises reversals of one transfer; the sum is read afterwards, in a fresh snapshot.
  const { rows } = await trx.raw(
    `select id, debit_account_id, credit_account_id, amount, currency, reverses_transfer_id from ledger_transfers
      where id = any(?::uuid[])
      order by id for update`,
    [ids],
  );
  const sums = await trx.raw(
    `select reverses_transfer_id as id, sum(amount) as reversed from ledger_transfers
      where reverses_transfer_id = any(?::uuid[])
      group by reverses_transfer_id`,
    [ids],
  );
  const reversedSoFar = new Map<string, number>();
  for (const row of sums.rows as { id: string; reversed: unknown }[]) reversedSoFar.set(row.id, safeInteger(row.reversed, `reversals of ${row.id}`));
  const originals = new Map<string, OriginalTransfer>();
  for (const row of rows as TransferRow[]) {
    originals.set(row.id, {
      id: row.id,
      debitAccountId: row.debit_account_id,
      creditAccountId: row.credit_account_id,
      amount: safeInteger(row.amount, `amount of transfer ${row.id}`),
      currency: row.currency,
      reversesTransferId: row.reverses_transfer_id,
      reversedSoFar: reversedSoFar.get(row.id) ?? 0,
    });
  }
  return originals;
}

/** The idempotency records of these keys with the results they gave, rebuilt from their (immutable) transfers. */
export async function loadStoredRequests(db: Knex, keys: string[]): Promise<Map<string, StoredRequest>> {
  const { rows } = await db.raw(
    `select i.key, i.request_hash, ${transferColumns},
            d.balance_after as debit_balance_after, c.balance_after as credit_balance_after
       from ledger_idempotency i
       join ledger_transfers t on t.id = i.transfer_id
       join ledger_entries d on d.transfer_id = t.id and d.amount < 0
       join ledger_entries c on c.transfer_id = t.id and c.amount > 0
      where i.key = any(?::text[])`,
    [keys],
  );
  const stored = new Map<string, StoredRequest>();
  for (const row of rows as (TransferRow & { key: string; request_hash: string; debit_balance_after: unknown; credit_balance_after: unknown })[]) {
    stored.set(row.key, {
      requestHash: row.request_hash,
      result: {
        transfer: transferFromRow(row),
        debitBalanceAfter: safeInteger(row.debit_balance_after, 'balance after'),
        creditBalanceAfter: safeInteger(row.credit_balance_after, 'balance after'),
      },
    });
  }
  return stored;
}

/**
 * One statement writes the whole batch: balances, transfers, entries (in balance order), then the
 * keys (sorted). Arrays (not JSON) feed the account UPDATE so the planner knows how few rows it
 * joins and takes the primary key, however many accounts the ledger holds.
 */
async function writeLedger(trx: Knex.Transaction, writes: LedgerWrites): Promise<void> {
  const deltas = [...writes.deltas].filter(([, delta]) => delta !== 0).map(([id, delta]) => ({ id, delta }));
  const transfers = writes.applied.map(({ result: { transfer: t } }) => ({
    id: t.id,
    debit_account_id: t.debitAccountId,
    credit_account_id: t.creditAccountId,
    amount: t.amount,
    currency: t.currency,
    reason: t.reason,
    module: t.module,
    tap_id: t.tapId,
    staff_id: t.staffId,
    reverses_transfer_id: t.reversesTransferId,
    metadata: t.metadata,
    created_at: t.createdAt,
  }));
  const entries = writes.entries.map((e, n) => ({ n, transfer_id: e.transferId, account_id: e.accountId, amount: e.amount, balance_after: e.balanceAfter }));
  const keys = writes.applied.map(({ prepared }) => ({
    key: prepared.request.idempotencyKey,
    request_hash: prepared.requestHash,
    transfer_id: prepared.transferId,
    created_at: prepared.createdAt.toISOString(),
  }));
  await trx.raw(
    `with moved as (
       update ledger_accounts a set balance = a.balance + d.delta
         from unnest(?::uuid[], ?::bigint[]) as d(id, delta)
        where a.id = d.id
        returning a.id
     ), transfers as (
       insert into ledger_transfers (id, debit_account_id, credit_account_id, amount, currency, reason, module, tap_id, staff_id, reverses_transfer_id, metadata, created_at)
       select id, debit_account_id, credit_account_id, amount, currency, reason, module, tap_id, staff_id, reverses_transfer_id, metadata, created_at
         from jsonb_to_recordset(?::jsonb) as x(id uuid, debit_account_id uuid, credit_account_id uuid, amount bigint, currency text, reason text,
              module text, tap_id text, staff_id text, reverses_transfer_id uuid, metadata jsonb, created_at timestamptz)
       returning id
     ), entries as (
       insert into ledger_entries (transfer_id, account_id, amount, balance_after)
       select transfer_id, account_id, amount, balance_after
         from jsonb_to_recordset(?::jsonb) as e(n integer, transfer_id uuid, account_id uuid, amount bigint, balance_after bigint)
        order by n
       returning id
     ), keys as (
       insert into ledger_idempotency (key, request_hash, transfer_id, created_at)
       select key, request_hash, transfer_id, created_at
         from jsonb_to_recordset(?::jsonb) as k(key text, request_hash text, transfer_id uuid, created_at timestamptz)
        order by key
       returning key
     )
     select (select count(*) from moved) as moved, (select count(*) from transfers) as transfers,
            (select count(*) from entries) as entries, (select count(*) from keys) as keys`,
    [deltas.map((d) => d.id), deltas.map((d) => d.delta), JSON.stringify(transfers), JSON.stringify(entries), JSON.stringify(keys)],
  );
}
