import type { Knex } from 'knex';
import { accountStatement, balanceOf, type StatementLine } from '../../../shared/ledger/index.js';
import { budgetsOf, contributionsAccountId, fundingAccountId, pence, type Budget } from './budget-store.js';
import { loadOf, type Load } from './budgets.js';
import { contributionsOf, contributionSummary, type Contribution, type ContributionSummary } from './contributions.js';

export interface BudgetStatement extends Budget {
  readonly balancePence: number;
  readonly loads: readonly Load[];
  readonly contribution: ContributionSummary;
  readonly contributions: readonly Contribution[];
  readonly spends: readonly { id: string; tapId: string; providerId: string; provider: string; category: string; amountPence: number; at: string }[];
  readonly lines: readonly StatementLine[];
}

/** Everything about one recipient's budgets: what was loaded, paid in by the client, spent where and on what, clawed back, and the ledger lines. */
export async function recipientStatement(db: Knex, cardholderId: string): Promise<{ cardholderId: string; budgets: BudgetStatement[] }> {
  const budgets: BudgetStatement[] = [];
  for (const budget of await budgetsOf(db, cardholderId)) {
    const loads = (await db('budget_loads').where({ budget_id: budget.id }).orderBy('created_at')).map(loadOf);
    const spends = (await db('budget_spends as s').join('budget_providers as p', 'p.id', 's.provider_id').where('s.budget_id', budget.id).orderBy('s.created_at')
      .select('s.id', 's.tap_id', 's.provider_id', 'p.name', 's.category', 's.amount_pence', 's.created_at')) as Record<string, unknown>[];
    budgets.push({
      ...budget,
      balancePence: await balanceOf(db, budget.accountId),
      loads,
      contribution: await contributionSummary(db, budget.id),
      contributions: await contributionsOf(db, budget.id),
      spends: spends.map((s) => ({ id: String(s.id), tapId: String(s.tap_id), providerId: String(s.provider_id), provider: String(s.name), category: String(s.category), amountPence: pence(s.amount_pence), at: new Date(s.created_at as string).toISOString() })),
      lines: (await accountStatement(db, budget.accountId, { limit: 1000 })).lines,
    });
  }
  return { cardholderId: cardholderId.toLowerCase(), budgets };
}

export interface ReconciliationRow {
  readonly budgetId: string;
  readonly cardholderId: string;
  readonly periodStart: string;
  readonly periodEnd: string;
  readonly status: string;
  readonly loadedPence: number;
  /** The client's payments-in of their contribution. */
  readonly contributedPence: number;
  /** The client's contribution due on applied loads and not yet paid in. */
  readonly contributionOutstandingPence: number;
  readonly pendingPence: number;
  readonly spentPence: number;
  readonly clawedBackPence: number;
  readonly balancePence: number;
  /** loaded + contributed - spent - clawed back = balance, from the module's records against the ledger's. */
  readonly reconciles: boolean;
}

/**
 * Finance's reconciliation: per budget (periods overlapping from..to) the module's own records
 * against the ledger balance, per provider what was paid, and whether the funding account and
 * the client contributions account mirror every budget and provider balance (money only moves
 * among them).
 */
export async function reconciliation(db: Knex, range: { from: string; to: string }) {
  const rows = (await db.raw(
    `select b.id, b.cardholder_id, b.period_start::text as period_start, b.period_end::text as period_end, b.status, a.balance,
            coalesce(b.clawback_pence, 0) as clawed_back,
            coalesce((select sum(amount_pence) from budget_loads l where l.budget_id = b.id and l.status = 'applied'), 0) as loaded,
            coalesce((select sum(amount_pence) from budget_loads l where l.budget_id = b.id and l.status = 'pending'), 0) as pending,
            coalesce((select sum(contribution_pence) from budget_loads l where l.budget_id = b.id and l.status = 'applied'), 0) as contribution_due,
            coalesce((select sum(amount_pence) from budget_contributions c where c.budget_id = b.id), 0) as contributed,
            coalesce((select sum(amount_pence) from budget_spends s where s.budget_id = b.id), 0) as spent
       from budgets b join ledger_accounts a on a.id = b.account_id
      where b.period_start <= ?::date and b.period_end >= ?::date
      order by b.period_start, b.cardholder_id`,
    [range.to, range.from],
  )).rows as Record<string, unknown>[];
  const budgets: ReconciliationRow[] = rows.map((r) => {
    const [loadedPence, contributedPence, spentPence, clawedBackPence, balancePence] = [pence(r.loaded), pence(r.contributed), pence(r.spent), pence(r.clawed_back), pence(r.balance)];
    return {
      budgetId: String(r.id), cardholderId: String(r.cardholder_id), periodStart: String(r.period_start), periodEnd: String(r.period_end), status: String(r.status),
      loadedPence, contributedPence, contributionOutstandingPence: pence(r.contribution_due) - contributedPence, pendingPence: pence(r.pending), spentPence, clawedBackPence, balancePence,
      reconciles: loadedPence + contributedPence - spentPence - clawedBackPence === balancePence,
    };
  });
  const providers = ((await db.raw(
    `select p.id, p.name, p.status, a.balance,
            coalesce((select sum(s.amount_pence) from budget_spends s where s.provider_id = p.id and s.created_at >= ?::date and s.created_at < ?::date + 1), 0) as paid
       from budget_providers p join ledger_accounts a on a.id = p.account_id order by p.name`,
    [range.from, range.to],
  )).rows as Record<string, unknown>[]).map((p) => ({ providerId: String(p.id), name: String(p.name), status: String(p.status), paidInRangePence: pence(p.paid), balancePence: pence(p.balance) }));
  const held = pence((await db.raw(
    `select coalesce(sum(a.balance), 0) as held from ledger_accounts a
      where a.id in (select account_id from budgets union all select account_id from budget_providers)`,
  )).rows[0].held);
  const funding = await balanceOf(db, await fundingAccountId(db));
  const contributions = await balanceOf(db, await contributionsAccountId(db));
  return {
    from: range.from,
    to: range.to,
    budgets,
    providers,
    totals: {
      loadedPence: budgets.reduce((s, b) => s + b.loadedPence, 0),
      contributedPence: budgets.reduce((s, b) => s + b.contributedPence, 0),
      contributionOutstandingPence: budgets.reduce((s, b) => s + b.contributionOutstandingPence, 0),
      spentPence: budgets.reduce((s, b) => s + b.spentPence, 0),
      clawedBackPence: budgets.reduce((s, b) => s + b.clawedBackPence, 0),
      balancePence: budgets.reduce((s, b) => s + b.balancePence, 0),
      pendingPence: budgets.reduce((s, b) => s + b.pendingPence, 0),
      fundingBalancePence: funding,
      contributionsReceivedBalancePence: contributions,
      heldInBudgetsAndProvidersPence: held,
      balanced: funding + contributions + held === 0 && budgets.every((b) => b.reconciles),
    },
  };
}
