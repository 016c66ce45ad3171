import { knexOf, type LedgerDb } from './rows.js';

export interface LedgerProblem {
  /** Stable name of the broken invariant. */
  readonly check: string;
  /** What is wrong, naming the account or transfer with expected vs stored values. */
  readonly message: string;
}

export interface LedgerVerification {
  readonly accounts: number;
  readonly transfers: number;
  readonly problems: LedgerProblem[];
}

/** Stop listing one kind of problem after this many; the count still says how many there are. */
const MAX_LISTED = 1000;

interface Check {
  readonly check: string;
  readonly sql: string;
  readonly describe: (row: Record<string, unknown>) => string;
}

/**
 * Each invariant is a query returning the rows that break it, so an empty answer is a proof for
 * that invariant over the whole ledger. Read in one REPEATABLE READ snapshot, so a busy ledger
 * is checked at one instant.
 */
const checks: readonly Check[] = [
  {
    check: 'transfer-balances',
    sql: `select t.id, t.amount, count(e.id) as entries, coalesce(sum(e.amount), 0) as net,
                 coalesce(sum(-e.amount) filter (where e.amount < 0 and e.account_id = t.debit_account_id), 0) as debited,
                 coalesce(sum(e.amount) filter (where e.amount > 0 and e.account_id = t.credit_account_id), 0) as credited
            from ledger_transfers t left join ledger_entries e on e.transfer_id = t.id
           group by t.id, t.amount
          having count(e.id) <> 2 or coalesce(sum(e.amount), 0) <> 0
              or coalesce(sum(-e.amount) filter (where e.amount < 0 and e.account_id = t.debit_account_id), 0) <> t.amount
              or coalesce(sum(e.amount) filter (where e.amount > 0 and e.account_id = t.credit_account_id), 0) <> t.amount`,
    describe: (r) =>
      `transfer ${r.id}: amount ${r.amount}, but ${r.entries} entries debit ${r.debited} from its debit account and credit ${r.credited} to its credit account (net ${r.net}, expected 2 entries netting 0)`,
  },
  {
    check: 'balance-equals-entries',
    sql: `select a.id, a.balance, coalesce(s.total, 0) as expected
            from ledger_accounts a left join (select account_id, sum(amount) as total from ledger_entries group by account_id) s on s.account_id = a.id
           where a.balance <> coalesce(s.total, 0)`,
    describe: (r) => `account ${r.id}: stored balance ${r.balance}, expected ${r.expected} (the sum of its entries)`,
  },
  {
    check: 'floor',
    sql: 'select id, balance, floor from ledger_accounts where floor is not null and balance < floor',
    describe: (r) => `account ${r.id}: balance ${r.balance} is below its floor ${r.floor}`,
  },
  {
    check: 'running-balance',
    sql: `select account_id, id, balance_after, running from (
            select account_id, id, balance_after, sum(amount) over (partition by account_id order by id) as running from ledger_entries
          ) e where balance_after <> running`,
    describe: (r) => `account ${r.account_id}: entry ${r.id} says balance after ${r.balance_after}, expected ${r.running} (the entries up to it)`,
  },
  {
    check: 'currency',
    sql: `select t.id, t.currency, d.currency as debit_currency, c.currency as credit_currency
            from ledger_transfers t join ledger_accounts d on d.id = t.debit_account_id join ledger_accounts c on c.id = t.credit_account_id
           where t.currency <> d.currency or t.currency <> c.currency`,
    describe: (r) => `transfer ${r.id}: in ${r.currency} between accounts holding ${r.debit_currency} and ${r.credit_currency}`,
  },
  {
    check: 'currency-sums-to-zero',
    sql: 'select currency, sum(balance) as total from ledger_accounts group by currency having sum(balance) <> 0',
    describe: (r) => `currency ${r.currency}: balances sum to ${r.total}, expected 0`,
  },
  {
    check: 'idempotency-transfer',
    sql: `select i.key, i.transfer_id from ledger_idempotency i left join ledger_transfers t on t.id = i.transfer_id where t.id is null`,
    describe: (r) => `idempotency key ${r.key}: its transfer ${r.transfer_id} does not exist`,
  },
  {
    check: 'transfer-idempotency',
    sql: `select t.id, count(i.key) as keys from ledger_transfers t left join ledger_idempotency i on i.transfer_id = t.id
           group by t.id having count(i.key) <> 1`,
    describe: (r) => `transfer ${r.id}: recorded under ${r.keys} idempotency keys, expected exactly 1`,
  },
  {
    check: 'reversal',
    sql: `select o.id, o.amount, coalesce(sum(r.amount), 0) as reversed,
                 bool_or(r.debit_account_id <> o.credit_account_id or r.credit_account_id <> o.debit_account_id or o.reverses_transfer_id is not null) as misdirected
            from ledger_transfers o join ledger_transfers r on r.reverses_transfer_id = o.id
           group by o.id, o.amount, o.reverses_transfer_id
          having coalesce(sum(r.amount), 0) > o.amount
              or bool_or(r.debit_account_id <> o.credit_account_id or r.credit_account_id <> o.debit_account_id or o.reverses_transfer_id is not null)`,
    describe: (r) =>
      r.misdirected ? `transfer ${r.id}: a reversal of it does not run opposite to it, or it is itself a reversal` : `transfer ${r.id}: amount ${r.amount}, but reversals total ${r.reversed}`,
  },
];

/** Checks every ledger invariant; an empty `problems` list means the ledger is sound. */
export async function verifyLedger(db: LedgerDb): Promise<LedgerVerification> {
  return knexOf(db).transaction(
    async (trx) => {
      const problems: LedgerProblem[] = [];
      for (const { check, sql, describe } of checks) {
        const { rows } = await trx.raw(`select * from (${sql}) broken limit ${MAX_LISTED + 1}`);
        for (const row of (rows as Record<string, unknown>[]).slice(0, MAX_LISTED)) problems.push({ check, message: describe(row) });
        if (rows.length > MAX_LISTED) problems.push({ check, message: `more than ${MAX_LISTED} problems of this kind; the rest are not listed` });
      }
      const counts = (await trx.raw('select (select count(*) from ledger_accounts) as accounts, (select count(*) from ledger_transfers) as transfers'))
        .rows[0] as { accounts: unknown; transfers: unknown };
      return { accounts: Number(counts.accounts), transfers: Number(counts.transfers), problems };
    },
    { isolationLevel: 'repeatable read', readOnly: true },
  );
}
