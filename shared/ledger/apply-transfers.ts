import type { Knex } from 'knex';
import { TesseraError } from '../errors/index.js';
import { safeInteger } from './amount.js';
import { refusalOf, resultOf, type ApplyOutcome } from './outcomes.js';
import type { PreparedTransfer } from './prepare-transfer.js';
import { transferColumns, transferFromRow, type TransferRow } from './rows.js';
import type { TransferResult } from './types.js';

type RawOutcome =
  | { kind: 'applied'; debitBalanceAfter: number; creditBalanceAfter: number }
  | { kind: 'replayed'; key: string; transferId: string }
  | ({ kind: 'refused'; code: string } & Record<string, unknown>);

/**
 * Applies a batch (one transfer on the plain path, many from the batching engine) with ONE
 * statement: ledger_apply_transfers (db/migrations/20261121030200_ledger_apply_function.ts)
 * locks, decides each request in arrival order and writes the rows. Outside a transaction that
 * statement is its own transaction, so a hot account's row lock is held only while the server
 * works and commits. Replays of earlier requests are then read back from their stored,
 * immutable transfers.
 */
export async function applyTransfers(knex: Knex, batch: readonly PreparedTransfer[]): Promise<ApplyOutcome[]> {
  const { rows } = await knex.raw('select ledger_apply_transfers(?::jsonb) as outcomes', [JSON.stringify(batch.map(requestOf))]);
  const value = (rows as { outcomes: unknown }[])[0]!.outcomes;
  const raw = (typeof value === 'string' ? JSON.parse(value) : value) as RawOutcome[];

  // Applied and refused requests are answered from the outcome; replays need their first result.
  const appliedHere = new Map<string, TransferResult>();
  raw.forEach((outcome, i) => {
    if (outcome.kind !== 'applied') return;
    const prepared = batch[i]!;
    appliedHere.set(
      prepared.transferId,
      resultOf(prepared, safeInteger(outcome.debitBalanceAfter, 'balance after'), safeInteger(outcome.creditBalanceAfter, 'balance after')),
    );
  });
  const earlierKeys = raw.flatMap((o) => (o.kind === 'replayed' && !appliedHere.has(o.transferId) ? [o.key] : []));
  const stored = earlierKeys.length > 0 ? await loadStoredResults(knex, earlierKeys) : new Map<string, TransferResult>();

  return raw.map((outcome, i): ApplyOutcome => {
    if (outcome.kind === 'applied') return { kind: 'applied', result: appliedHere.get(batch[i]!.transferId)! };
    if (outcome.kind === 'refused') {
      const { kind: _kind, code, ...facts } = outcome;
      return { kind: 'refused', error: refusalOf(code, facts) };
    }
    const result = appliedHere.get(outcome.transferId) ?? stored.get(outcome.key);
    if (!result) throw new TesseraError('ERR_INTERNAL', `The stored result of idempotency key ${outcome.key} could not be read back`);
    return { kind: 'replayed', result };
  });
}

/** The request as ledger_apply_transfers reads it. */
function requestOf(prepared: PreparedTransfer) {
  const { request } = prepared;
  return {
    key: request.idempotencyKey,
    hash: prepared.requestHash,
    id: prepared.transferId,
    debit: request.debitAccountId,
    credit: request.creditAccountId,
    amount: request.amount,
    currency: request.currency,
    reason: request.reason,
    module: request.module,
    tap: request.tapId,
    staff: request.staffId,
    reverses: request.reversesTransferId,
    metadata: request.metadata,
    createdAt: prepared.createdAt.toISOString(),
  };
}

/** The results idempotency keys gave, rebuilt from their (immutable) transfers and entries. */
export async function loadStoredResults(knex: Knex, keys: string[]): Promise<Map<string, TransferResult>> {
  const { rows } = await knex.raw(
    `select i.key, ${transferColumns},
            d.balance_after as debit_balance_after, c.balance_after as credit_balance_after
       from ledger_idempotency i
       join ledger_transfers t on t.id = i.transfer_id
       join ledger_entries d on d.transfer_id = t.id and d.amount < 0
       join ledger_entries c on c.transfer_id = t.id and c.amount > 0
      where i.key = any(?::text[])`,
    [keys],
  );
  const results = new Map<string, TransferResult>();
  for (const row of rows as (TransferRow & { key: string; debit_balance_after: unknown; credit_balance_after: unknown })[]) {
    results.set(row.key, {
      transfer: transferFromRow(row),
      debitBalanceAfter: safeInteger(row.debit_balance_after, 'balance after'),
      creditBalanceAfter: safeInteger(row.credit_balance_after, 'balance after'),
    });
  }
  return results;
}
