import { randomUUID } from 'node:crypto';
import { TesseraError } from '../errors/index.js';
import { defaultFloors, isAccountKind } from './account-kinds.js';
import { isUuid } from './prepare-transfer.js';
import { accountFromRow, knexOf, type AccountRow, type LedgerDb } from './rows.js';
import type { Account, AccountKind } from './types.js';

export interface OpenAccountInput {
  readonly kind: AccountKind;
  /** ISO 4217; defaults to GBP. */
  readonly currency?: string;
  /** Defaults per kind (0 for purses, budgets, providers, tills; null = unbounded for funding, suspense). */
  readonly floor?: number | null;
  readonly label?: string | null;
  readonly ownerRef?: string | null;
  /** Lets a caller choose the id (e.g. to open an account idempotently); a new uuid otherwise. */
  readonly id?: string;
}

/** Opens an account at balance 0. A floor above 0 could never hold for a new account, so it is refused. */
export async function openAccount(db: LedgerDb, input: OpenAccountInput): Promise<Account> {
  if (!isAccountKind(input.kind)) throw new TesseraError('ERR_ACCOUNT_INVALID', `Unknown account kind ${String(input.kind)}`, { field: 'kind' });
  const currency = input.currency ?? 'GBP';
  if (!/^[A-Z]{3}$/.test(currency)) throw new TesseraError('ERR_ACCOUNT_INVALID', 'currency must be an ISO 4217 code such as GBP', { field: 'currency' });
  const floor = input.floor === undefined ? defaultFloors[input.kind] : input.floor;
  if (floor !== null && (!Number.isSafeInteger(floor) || floor > 0)) {
    throw new TesseraError('ERR_ACCOUNT_INVALID', 'floor must be a whole number of pence at most 0, or null for no floor', { field: 'floor' });
  }
  const id = input.id ?? randomUUID();
  if (!isUuid(id)) throw new TesseraError('ERR_ACCOUNT_INVALID', 'id must be a uuid', { field: 'id' });
  const [row] = (await knexOf(db)('ledger_accounts')
    .insert({ id: id.toLowerCase(), kind: input.kind, currency, floor, balance: 0, label: input.label ?? null, owner_ref: input.ownerRef ?? null })
    .returning('*')) as AccountRow[];
  return accountFromRow(row!);
}

export async function findAccount(db: LedgerDb, accountId: string): Promise<Account | undefined> {
  if (!isUuid(accountId)) return undefined;
  const row = (await knexOf(db)('ledger_accounts').where({ id: accountId.toLowerCase() }).first()) as AccountRow | undefined;
  return row ? accountFromRow(row) : undefined;
}

export async function getAccount(db: LedgerDb, accountId: string): Promise<Account> {
  const account = await findAccount(db, accountId);
  if (!account) throw new TesseraError('ERR_ACCOUNT_NOT_FOUND', `No ledger account ${accountId}`, { accountId });
  return account;
}

/** The stored balance: always equal to the sum of the account's entries (`tessera ledger verify` checks). */
export async function balanceOf(db: LedgerDb, accountId: string): Promise<number> {
  return (await getAccount(db, accountId)).balance;
}
