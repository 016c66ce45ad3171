import { randomUUID } from 'node:crypto';
import { TesseraError } from '../../../shared/errors/index.js';
import { balanceOf, transfer } from '../../../shared/ledger/index.js';
import type { AuthenticatedTap, ModuleDecision, ModuleTapContext } from '../../../shared/modules/index.js';
import { BUDGETS_MODULE, CATEGORY_PATTERN, budgetsOf, localDate, providerOf } from './budget-store.js';

export const SPEND_PURPOSE = 'budget.spend';

const deny = (reason: string): ModuleDecision => ({ decision: 'denied', reason });

/**
 * The payload the provider's terminal asks the card to sign: UTF-8 JSON
 * `{"amountPence":1250,"category":"personal-care"}`. The card signed its SHA-256, so the amount
 * charged is the amount the recipient agreed to with their PIN.
 */
export function parseSpend(payload: Uint8Array): { amountPence: number; category: string } | undefined {
  try {
    const value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(payload)) as Record<string, unknown>;
    if (typeof value !== 'object' || value === null || Object.keys(value).sort().join(',') !== 'amountPence,category') return undefined;
    const { amountPence, category } = value;
    if (!Number.isSafeInteger(amountPence) || (amountPence as number) < 1 || (amountPence as number) > 100_000_00) return undefined;
    if (typeof category !== 'string' || !CATEGORY_PATTERN.test(category)) return undefined;
    return { amountPence: amountPence as number, category };
  } catch {
    return undefined;
  }
}

/**
 * A recipient pays an approved provider with card and PIN. The checks, in order, each with the
 * reason the terminal shows; then one ledger transfer from the budget to the provider, keyed by
 * the tap, so the same tap never pays twice.
 */
export async function decideSpend(tap: AuthenticatedTap, ctx: ModuleTapContext): Promise<ModuleDecision> {
  // A budget card is one of ours, not on hold for budgets.
  if (tap.credential.kind !== 'platform') return deny('card_not_active');
  const cardholderId = tap.credential.cardholderId;
  const recipient = await ctx.knex('budget_recipients').where({ cardholder_id: cardholderId }).first('on_hold');
  if (!recipient) return deny('no_budget');
  if (recipient.on_hold) return deny('card_not_active');
  // The terminal belongs to an approved provider.
  const providerRow = await ctx.knex('budget_providers').join('budget_terminals', 'budget_terminals.provider_id', 'budget_providers.id').where('budget_terminals.reader_id', tap.reader.id).first('budget_providers.*');
  if (!providerRow || providerRow.status !== 'approved') return deny('provider_not_approved');
  const provider = providerOf(providerRow);
  // The signed payload names an amount and a category.
  const spend = parseSpend(tap.payload);
  if (!spend) return deny('payload_invalid');
  // Today (organisation time zone) falls in an open budget period.
  const today = localDate(tap.at, ctx.timeZone);
  const budgets = await budgetsOf(ctx.knex, cardholderId);
  const budget = budgets.find((b) => b.status === 'open' && b.periodStart <= today && today <= b.periodEnd);
  if (!budget) return deny(budgets.some((b) => b.periodStart <= today) ? 'budget_period_closed' : 'no_budget');
  // The category is one the provider is approved for and the budget allows.
  if (!provider.categories.includes(spend.category) || !budget.categories.includes(spend.category)) return deny('category_not_allowed');

  try {
    return await ctx.knex.transaction(async (trx) => {
      const replay = await trx('budget_spends').where({ tap_id: tap.id }).first('id');
      if (!replay) {
        // Lock the budget row: a clawback running now waits for us, or we see it closed.
        const locked = await trx('budgets').where({ id: budget.id }).forUpdate().first('status');
        if (locked.status !== 'open') return deny('budget_period_closed');
        const { result } = await transfer(
          trx,
          {
            idempotencyKey: `budgets:spend:${tap.id}`,
            debitAccountId: budget.accountId,
            creditAccountId: provider.accountId,
            amount: spend.amountPence,
            currency: 'GBP',
            reason: `${spend.category} at ${provider.name}`,
            module: BUDGETS_MODULE,
            tapId: tap.id,
            metadata: { budgetId: budget.id, providerId: provider.id, category: spend.category },
          },
          { now: () => tap.at },
        );
        await trx('budget_spends').insert({
          id: randomUUID(), tap_id: tap.id, budget_id: budget.id, provider_id: provider.id, reader_id: tap.reader.id,
          category: spend.category, amount_pence: spend.amountPence, transfer_id: result.transfer.id, created_at: tap.at,
        });
        // Past the time budget the router has already answered `denied`: roll back rather than pay for a "no".
        if (ctx.signal.aborted) throw new Error('budgets: the time budget ran out before the payment committed');
      }
      return { decision: 'granted', reason: 'ok', display: { chargedPence: spend.amountPence, balancePence: await balanceOf(trx, budget.accountId) } } as ModuleDecision;
    });
  } catch (error) {
    // The budget's floor (0) is a CHECK in the ledger: no overdraft, whatever races.
    if (error instanceof TesseraError && error.code === 'ERR_INSUFFICIENT_FUNDS') return deny('insufficient_funds');
    throw error;
  }
}
