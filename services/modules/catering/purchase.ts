import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { TesseraError } from '../../../shared/errors/index.js';
import { balanceOf, transfer, type TransferResult } from '../../../shared/ledger/index.js';
import { meetsAssurance, type AuthenticatedTap, type ModuleDecision, type ModuleTapContext } from '../../../shared/modules/index.js';
import { checkBasket } from './basket.js';
import { findPupil, findTill, getSchool, pence, priceList, type Pupil } from './catering-store.js';
import { CATERING_MODULE, settleFsm } from './fsm-allowance.js';
import { noteSale } from './low-balance.js';
import { localTime, mealTimeAt, mealTimesOf } from './meal-times.js';
import { localDate } from './school-day.js';

export const PURCHASE_PURPOSE = 'till.purchase';

type Display = Record<string, string | number | boolean>;

const deny = (reason: string, display: Display = {}): ModuleDecision => ({ decision: 'denied', reason, display });

/**
 * A pupil buys a basket at a till: the checks in the order a dinner lady would make them, then
 * the sale, free-school-meal money first, in one transaction with the pupil's row locked (so
 * the daily limit and the FSM purse see every earlier sale). The tap id is the sale's natural
 * idempotency key: the same tap decided again answers as before and moves nothing.
 */
export async function decidePurchase(tap: AuthenticatedTap, ctx: ModuleTapContext): Promise<ModuleDecision> {
  // Only our own cards hold a catering account.
  if (tap.credential.kind !== 'platform') return deny('card_not_accepted');
  const cardholderId = tap.credential.cardholderId;
  // The reader is one of our tills, at a known school.
  const till = await findTill(ctx.knex, tap.reader.id);
  if (!till) return deny('unknown_till');
  const school = await getSchool(ctx.knex, till.schoolId);
  // The school may ask for card and PIN; the key slot proves which one the card used.
  if (!meetsAssurance(tap.assurance, school.pinPolicy)) return deny('pin_required');
  // The pupil eats at this school.
  const registered = await findPupil(ctx.knex, cardholderId);
  if (!registered || registered.schoolId !== school.id) return deny('not_registered');
  const flags = dietDisplay(registered);
  // The basket the card signed is on this school's price list at its prices.
  const check = checkBasket(tap.payload, await priceList(ctx.knex, school.id));
  if (!check.ok) return deny(check.reason, flags);
  // An item the pupil is allergic to is blocked at the till, with the flags shown.
  const conflicts = check.allergens.filter((a) => registered.allergens.includes(a));
  if (conflicts.length > 0) return deny('allergen_conflict', { ...flags, allergenConflict: conflicts.join(',') });
  // A school with meal times sells only during them; without any, at any time (and FSM money anywhere).
  const mealTimes = await mealTimesOf(ctx.knex, school.id);
  const meal = mealTimeAt(mealTimes, localTime(tap.at, ctx.timeZone));
  if (mealTimes.length > 0 && !meal) return deny('outside_meal_time', flags);

  const total = check.basket.totalPence;
  const today = localDate(tap.at, ctx.timeZone);
  try {
    return await ctx.knex.transaction(async (trx) => {
      const replay = await trx('catering_sales').where({ tap_id: tap.id }).first('total_pence');
      if (replay) return granted(trx, registered, pence(replay.total_pence), flags);
      const pupil = (await findPupil(trx, cardholderId, { lock: true }))!;
      await settleFsm(trx, pupil, school, today, tap.at);
      // The daily limit counts every sale of the day, less its refunds.
      const limit = pupil.dailyLimitPence ?? school.defaultDailyLimitPence;
      if (limit !== null && (await spentOn(trx, pupil.cardholderId, today)) + total > limit) return deny('daily_limit', flags);
      // The meal time's own limit counts what was spent in this meal time today, less its refunds.
      if (meal && meal.limitPence !== null && (await spentOn(trx, pupil.cardholderId, today, meal.name)) + total > meal.limitPence) {
        return deny('meal_time_limit', { ...flags, mealTime: meal.name });
      }
      // Free school meal money is spent first, then the parents' purse; where the school has meal
      // times, FSM money only in those flagged for it (outside them the parents' purse pays alone).
      const fsmUsable = mealTimes.length === 0 || meal?.fsm === true;
      const fsmPence = fsmUsable ? Math.min(await balanceOf(trx, pupil.fsmAccountId), total) : 0;
      const cashPence = total - fsmPence;
      const purseBefore = await balanceOf(trx, pupil.purseAccountId);
      if (cashPence > purseBefore) return deny('insufficient_funds', flags);
      const move = (from: string, amount: number, part: string): Promise<TransferResult | null> =>
        amount === 0
          ? Promise.resolve(null)
          : transfer(
              trx,
              {
                idempotencyKey: `catering:sale:${tap.id}:${part}`,
                debitAccountId: from,
                creditAccountId: till.takingsAccountId,
                amount,
                currency: 'GBP',
                reason: `catering sale at ${till.name}`,
                module: CATERING_MODULE,
                tapId: tap.id,
                metadata: { schoolDay: today, part },
              },
              { now: () => tap.at },
            ).then((o) => o.result);
      const fsm = await move(pupil.fsmAccountId, fsmPence, 'fsm');
      const cash = await move(pupil.purseAccountId, cashPence, 'cash');
      const saleId = randomUUID();
      await trx('catering_sales').insert({
        id: saleId,
        tap_id: tap.id,
        cardholder_id: pupil.cardholderId,
        school_id: school.id,
        till_reader_id: till.readerId,
        school_day: today,
        meal_time: meal?.name ?? null,
        total_pence: total,
        fsm_pence: fsmPence,
        cash_pence: cashPence,
        fsm_transfer_id: fsm?.transfer.id ?? null,
        cash_transfer_id: cash?.transfer.id ?? null,
        basket: JSON.stringify(check.basket),
        created_at: tap.at,
      });
      // Parents hear once when this sale takes the purse below their threshold. The ledger's own
      // balance after the debit is exact even if a top-up (which does not lock the pupil) landed meanwhile.
      const purseAfter = cash ? cash.debitBalanceAfter : purseBefore;
      await noteSale(trx, pupil, school, { id: saleId, cashPence, balanceBefore: purseAfter + cashPence, balanceAfter: purseAfter, at: tap.at });
      // Past the time budget the router has already answered `denied`: roll back rather than charge a pupil told no.
      if (ctx.signal.aborted) throw new Error('catering: the time budget ran out before the sale committed');
      return granted(trx, pupil, total, flags);
    });
  } catch (error) {
    // The floor in the database has the last word: a race it settles is still a plain decline.
    if (error instanceof TesseraError && error.code === 'ERR_INSUFFICIENT_FUNDS') return deny('insufficient_funds', flags);
    throw error;
  }
}

/** The till shows what was charged and the parents' purse; never the FSM purse, so FSM pupils are not identifiable at the till. */
async function granted(trx: Knex.Transaction, pupil: Pupil, total: number, flags: Display): Promise<ModuleDecision> {
  const balance = await balanceOf(trx, pupil.purseAccountId);
  return { decision: 'granted', reason: 'ok', display: { ...flags, chargedPence: total, balancePence: balance } };
}

/** Allergen and dietary flags go back to the till with every answer, granted or not. */
function dietDisplay(pupil: Pupil): Display {
  return { allergens: pupil.allergens.join(','), dietary: pupil.dietary.join(',') };
}

/** What the pupil has spent on a school day (or in one meal time of it), net of refunds. */
export async function spentOn(db: Knex, cardholderId: string, day: string, mealTime?: string): Promise<number> {
  const meal = mealTime === undefined ? '' : 'and s.meal_time = ?';
  const args = (): string[] => [cardholderId, day, ...(mealTime === undefined ? [] : [mealTime])];
  const row = (await db.raw(
    `select coalesce((select sum(s.total_pence) from catering_sales s where s.cardholder_id = ? and s.school_day = ?::date ${meal}), 0)
          - coalesce((select sum(r.amount_pence) from catering_refunds r join catering_sales s on s.id = r.sale_id
                       where s.cardholder_id = ? and s.school_day = ?::date ${meal}), 0) as spent`,
    [...args(), ...args()],
  )).rows[0] as { spent: unknown };
  return pence(row.spent);
}
