import { randomUUID } from 'node:crypto';
import type { Database } from '../../../../shared/db/index.js';
import { openAccount, transfer, type Account, type TransferInput } from '../../../../shared/ledger/index.js';

export const newKey = (): string => `test-${randomUUID()}`;

export interface Purse {
  readonly funding: Account;
  readonly purse: Account;
  readonly till: Account;
}

/** A funding account, a purse loaded with `pence` from it, and a till to spend into. */
export async function fundedPurse(db: Database, pence: number): Promise<Purse> {
  const funding = await openAccount(db, { kind: 'funding', label: 'test funding' });
  const purse = await openAccount(db, { kind: 'purse', label: 'test purse' });
  const till = await openAccount(db, { kind: 'till_takings', label: 'test till' });
  if (pence > 0) await transfer(db, load(funding, purse, pence));
  return { funding, purse, till };
}

export function load(funding: Account, purse: Account, amount: number, idempotencyKey = newKey()): TransferInput {
  return { idempotencyKey, debitAccountId: funding.id, creditAccountId: purse.id, amount, currency: 'GBP', reason: 'load', module: 'budgets' };
}

export function spend(purse: Account, till: Account, amount: number, idempotencyKey = newKey()): TransferInput {
  return { idempotencyKey, debitAccountId: purse.id, creditAccountId: till.id, amount, currency: 'GBP', reason: 'lunch', module: 'catering' };
}

export async function countRows(db: Database, table: 'ledger_transfers' | 'ledger_entries' | 'ledger_idempotency', accountIds: string[]): Promise<number> {
  const column = table === 'ledger_entries' ? 'account_id' : null;
  const query =
    table === 'ledger_entries'
      ? db.knex(table).whereIn(column!, accountIds)
      : table === 'ledger_transfers'
        ? db.knex(table).whereIn('debit_account_id', accountIds).orWhereIn('credit_account_id', accountIds)
        : db.knex(table).join('ledger_transfers as t', 't.id', 'ledger_idempotency.transfer_id').whereIn('t.debit_account_id', accountIds);
  const [row] = (await query.count({ n: '*' })) as { n: unknown }[];
  return Number(row!.n);
}

/** Resolves with the TesseraError code (or the error itself when it has none). */
export async function codeOf(work: Promise<unknown>): Promise<string> {
  try {
    await work;
  } catch (error) {
    return (error as { code?: string }).code ?? String(error);
  }
  return 'no error';
}
