import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { appendAudit } from '../../../shared/audit/index.js';
import { TesseraError } from '../../../shared/errors/index.js';
import { reverseTransfer, transfer } from '../../../shared/ledger/index.js';
import { findPupil, getSchool, pence } from './catering-store.js';
import { CATERING_MODULE, isOpenFsmDay, settleFsm } from './fsm-allowance.js';
import { noteTopUp } from './low-balance.js';
import { localDate } from './school-day.js';

export interface RefundInput {
  readonly saleId: string;
  /** Defaults to what is left of the sale. */
  readonly amountPence?: number | undefined;
  readonly reason: string;
  readonly idempotencyKey: string;
  readonly staffId: string;
}

export interface Refund {
  readonly id: string;
  readonly saleId: string;
  readonly amountPence: number;
  readonly cashPence: number;
  readonly fsmPence: number;
  readonly reason: string;
  readonly staffId: string;
  readonly createdAt: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * A catering manager refunds all or part of a sale. The parents' money goes back first; free
 * school meal money goes back to the FSM purse only while its day is still open, otherwise
 * straight on to the school's FSM funding account (an allowance is never carried over, not
 * even through a refund). Audited with the staff member, in the same transaction.
 */
export async function refundSale(db: Knex, input: RefundInput, now: Date, timeZone: string): Promise<{ refund: Refund; replayed: boolean }> {
  return db.transaction(async (trx) => {
    const sale = UUID.test(input.saleId) ? await trx('catering_sales').where({ id: input.saleId.toLowerCase() }).forUpdate().first() : undefined;
    if (!sale) throw new TesseraError('ERR_CATERING_SALE_NOT_FOUND', `No sale ${input.saleId}`, { saleId: input.saleId });
    const earlier = await trx('catering_refunds').where({ idempotency_key: input.idempotencyKey }).first();
    if (earlier) {
      const same = earlier.sale_id === sale.id && (input.amountPence === undefined || pence(earlier.amount_pence) === input.amountPence) && earlier.reason === input.reason;
      if (!same) throw new TesseraError('ERR_IDEMPOTENCY_MISMATCH', 'This idempotency key was already used for another refund');
      return { refund: refundOf(earlier), replayed: true };
    }
    const done = (await trx('catering_refunds').where({ sale_id: sale.id }).sum({ cash: 'cash_pence', fsm: 'fsm_pence' }))[0] as { cash: unknown; fsm: unknown };
    const cashLeft = pence(sale.cash_pence) - pence(done.cash ?? 0);
    const fsmLeft = pence(sale.fsm_pence) - pence(done.fsm ?? 0);
    const amount = input.amountPence ?? cashLeft + fsmLeft;
    if (!Number.isSafeInteger(amount) || amount < 1 || amount > cashLeft + fsmLeft) {
      throw new TesseraError('ERR_CATERING_REFUND_EXCEEDS_SALE', `At most ${cashLeft + fsmLeft} pence of this sale can be refunded`, { saleId: sale.id, refundable: cashLeft + fsmLeft });
    }
    const cashPence = Math.min(amount, cashLeft);
    const fsmPence = amount - cashPence;
    const pupil = (await findPupil(trx, sale.cardholder_id, { lock: true }))!;
    const school = await getSchool(trx, pupil.schoolId);
    // Bring the FSM purse to today first, so "is the sale's day still open" has today's answer.
    await settleFsm(trx, pupil, school, localDate(now, timeZone), now);
    const key = `catering:refund:${input.idempotencyKey}`;
    const common = { reason: `refund: ${input.reason}`, module: CATERING_MODULE, staffId: input.staffId, metadata: { saleId: sale.id } };
    if (cashPence > 0) {
      const back = await reverseTransfer(trx, { ...common, idempotencyKey: `${key}:cash`, transferId: sale.cash_transfer_id, amount: cashPence }, { now: () => now });
      // Money back in the purse may lift it over the low-balance threshold, which ends the open alert.
      await noteTopUp(trx, pupil, school, back.result.creditBalanceAfter, now);
    }
    if (fsmPence > 0) {
      await reverseTransfer(trx, { ...common, idempotencyKey: `${key}:fsm`, transferId: sale.fsm_transfer_id, amount: fsmPence }, { now: () => now });
      const saleDay = String((await trx.raw('select school_day::text as day from catering_sales where id = ?', [sale.id])).rows[0].day);
      if (!(await isOpenFsmDay(trx, pupil.cardholderId, saleDay))) {
        await transfer(
          trx,
          { ...common, idempotencyKey: `${key}:fsm-expire`, debitAccountId: pupil.fsmAccountId, creditAccountId: school.fsmAccountId, amount: fsmPence, currency: 'GBP', reason: `refunded free school meal allowance of ${saleDay} not carried over` },
          { now: () => now },
        );
      }
    }
    const [row] = await trx('catering_refunds')
      .insert({
        id: randomUUID(),
        sale_id: sale.id,
        idempotency_key: input.idempotencyKey,
        amount_pence: amount,
        cash_pence: cashPence,
        fsm_pence: fsmPence,
        reason: input.reason,
        staff_id: input.staffId,
        school_day: localDate(now, timeZone),
        created_at: now,
      })
      .returning('*');
    await appendAudit(trx, {
      actor: { kind: 'staff', id: input.staffId },
      action: 'catering.refund',
      subject: { kind: 'catering-sale', id: sale.id },
      details: { amountPence: amount, cashPence, fsmPence, reason: input.reason, cardholderId: pupil.cardholderId },
      at: now,
    });
    return { refund: refundOf(row), replayed: false };
  });
}

function refundOf(row: Record<string, unknown>): Refund {
  return {
    id: String(row.id),
    saleId: String(row.sale_id),
    amountPence: pence(row.amount_pence),
    cashPence: pence(row.cash_pence),
    fsmPence: pence(row.fsm_pence),
    reason: String(row.reason),
    staffId: String(row.staff_id),
    createdAt: new Date(row.created_at as string).toISOString(),
  };
}
