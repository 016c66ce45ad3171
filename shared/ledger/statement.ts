import { TesseraError } from '../errors/index.js';
import { safeInteger } from './amount.js';
import { getAccount } from './accounts.js';
import { isoOf, knexOf, type LedgerDb } from './rows.js';
import type { Account } from './types.js';

export interface StatementLine {
  /** Increases with every entry of the ledger; the order the balance moved in. */
  readonly entryId: string;
  readonly transferId: string;
  /** < 0 money out of the account, > 0 money in. */
  readonly amount: number;
  readonly balanceAfter: number;
  readonly counterpartyAccountId: string;
  readonly reason: string;
  readonly module: string;
  readonly tapId: string | null;
  readonly staffId: string | null;
  readonly reversesTransferId: string | null;
  readonly createdAt: string;
}

export interface Statement {
  readonly account: Account;
  readonly lines: StatementLine[];
  /** Pass as `after` for the next page; null on the last page. */
  readonly nextCursor: string | null;
}

export interface StatementOptions {
  /** The entryId of the last line already seen. */
  readonly after?: string;
  readonly limit?: number;
}

/** An account's entries in the order its balance moved, each with the running balance after it. */
export async function accountStatement(db: LedgerDb, accountId: string, options: StatementOptions = {}): Promise<Statement> {
  const account = await getAccount(db, accountId);
  const limit = options.limit ?? 100;
  if (!Number.isSafeInteger(limit) || limit < 1 || limit > 1000) throw new TesseraError('ERR_VALIDATION', 'limit must be from 1 to 1000');
  const after = options.after ?? '0';
  if (!/^\d{1,18}$/.test(after)) throw new TesseraError('ERR_VALIDATION', 'after must be an entryId from an earlier page');
  const rows = (await knexOf(db).raw(
    `select e.id, e.transfer_id, e.amount, e.balance_after, t.debit_account_id, t.credit_account_id,
            t.reason, t.module, t.tap_id, t.staff_id, t.reverses_transfer_id, t.created_at
       from ledger_entries e join ledger_transfers t on t.id = e.transfer_id
      where e.account_id = ? and e.id > ?
      order by e.id
      limit ?`,
    [account.id, after, limit + 1],
  )).rows as StatementRow[];
  const lines = rows.slice(0, limit).map(lineOf);
  return { account, lines, nextCursor: rows.length > limit ? lines[lines.length - 1]!.entryId : null };
}

interface StatementRow {
  id: unknown;
  transfer_id: string;
  amount: unknown;
  balance_after: unknown;
  debit_account_id: string;
  credit_account_id: string;
  reason: string;
  module: string;
  tap_id: string | null;
  staff_id: string | null;
  reverses_transfer_id: string | null;
  created_at: Date | string;
}

function lineOf(row: StatementRow): StatementLine {
  const amount = safeInteger(row.amount, 'entry amount');
  return {
    entryId: String(row.id),
    transferId: row.transfer_id,
    amount,
    balanceAfter: safeInteger(row.balance_after, 'balance after'),
    counterpartyAccountId: amount < 0 ? row.credit_account_id : row.debit_account_id,
    reason: row.reason,
    module: row.module,
    tapId: row.tap_id,
    staffId: row.staff_id,
    reversesTransferId: row.reverses_transfer_id,
    createdAt: isoOf(row.created_at),
  };
}
