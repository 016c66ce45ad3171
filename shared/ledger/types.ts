/** The kinds of ledger account issue 7 names; each has a default floor (see account-kinds.ts). */
export type AccountKind = 'purse' | 'budget' | 'provider' | 'till_takings' | 'funding' | 'suspense';

/** An account as the ledger reports it. Money is integer minor units (pence). */
export interface Account {
  readonly id: string;
  readonly kind: AccountKind;
  readonly currency: string;
  /** The lowest balance allowed; null = unbounded (funding, suspense). */
  readonly floor: number | null;
  /** Credits minus debits. */
  readonly balance: number;
  readonly label: string | null;
  /** Who or what the account belongs to, e.g. a cardholder id; free text for the owning module. */
  readonly ownerRef: string | null;
  readonly createdAt: string;
}

/** What a caller asks the ledger to move. `transfer()` validates every field. */
export interface TransferInput {
  readonly idempotencyKey: string;
  readonly debitAccountId: string;
  readonly creditAccountId: string;
  /** Integer minor units, > 0, a safe integer. */
  readonly amount: number;
  readonly currency: string;
  readonly reason: string;
  /** The module that moves the money (catering, budgets, ledger for staff-made transfers). */
  readonly module: string;
  /** The tap that caused it, if any. */
  readonly tapId?: string | null;
  /** The staff member who acted, if any. */
  readonly staffId?: string | null;
  /** Set on a reversal or refund: the transfer it (partly) undoes. */
  readonly reversesTransferId?: string | null;
  readonly metadata?: Readonly<Record<string, unknown>> | null;
}

/** A recorded transfer. Never updated or deleted. */
export interface Transfer {
  readonly id: string;
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
  readonly createdAt: string;
}

/** The result of an applied transfer; a replay of its idempotency key returns exactly this again. */
export interface TransferResult {
  readonly transfer: Transfer;
  readonly debitBalanceAfter: number;
  readonly creditBalanceAfter: number;
}

export interface TransferOutcome {
  readonly result: TransferResult;
  /** True when the idempotency key had already been applied and nothing new was written. */
  readonly replayed: boolean;
}
