/**
 * The double-entry ledger (issue 7; docs/ledger.md). Modules move money only through these
 * primitives, in integer minor units, each movement under an idempotency key.
 */
export type { Account, AccountKind, Transfer, TransferInput, TransferOutcome, TransferResult } from './types.js';
export { accountKinds, defaultFloors, isAccountKind } from './account-kinds.js';
export { openAccount, findAccount, getAccount, balanceOf, type OpenAccountInput } from './accounts.js';
export { transfer, type TransferOptions } from './transfer.js';
export { reverseTransfer, getTransferRecord, type ReverseTransferInput, type TransferRecord } from './reverse-transfer.js';
export { accountStatement, type Statement, type StatementLine, type StatementOptions } from './statement.js';
export { TransferBatcher, type TransferBatcherOptions } from './transfer-batcher.js';
export { verifyLedger, type LedgerProblem, type LedgerVerification } from './verify-ledger.js';
export { IDEMPOTENCY_KEY_PATTERN, isUuid } from './prepare-transfer.js';
export type { LedgerDb } from './rows.js';
