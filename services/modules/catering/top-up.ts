import type { Knex } from 'knex';
import { transfer, type TransferOutcome } from '../../../shared/ledger/index.js';
import { getPupil, getSchool } from './catering-store.js';
import { CATERING_MODULE } from './fsm-allowance.js';
import { noteTopUp } from './low-balance.js';

export interface TopUpInput {
  readonly cardholderId: string;
  readonly amountPence: number;
  /** The caller's Idempotency-Key: the same key and body credit once; another body is refused. */
  readonly idempotencyKey: string;
  readonly reference?: string | undefined;
  readonly staffId: string | null;
}

/**
 * A parental top-up into the pupil's catering purse (never the FSM purse), from the school's
 * top-up funding account, where money received from parents is booked. The ledger's
 * idempotency rules make it safe to retry: the key is namespaced so it cannot clash with
 * another module's keys. A top-up that brings the purse back to its low-balance threshold
 * closes the open alert, so the next crossing alerts the parents again.
 */
export async function topUp(db: Knex, input: TopUpInput, now: () => Date): Promise<TransferOutcome> {
  const pupil = await getPupil(db, input.cardholderId);
  const school = await getSchool(db, pupil.schoolId);
  const outcome = await transfer(
    db,
    {
      idempotencyKey: `catering:top-up:${input.idempotencyKey}`,
      debitAccountId: school.topupAccountId,
      creditAccountId: pupil.purseAccountId,
      amount: input.amountPence,
      currency: 'GBP',
      reason: 'parental top-up',
      module: CATERING_MODULE,
      staffId: input.staffId,
      metadata: { cardholderId: pupil.cardholderId, reference: input.reference ?? null },
    },
    { now },
  );
  // Back at or above the low-balance threshold: the parents' open alert is over.
  if (!outcome.replayed) await noteTopUp(db, pupil, school, outcome.result.creditBalanceAfter, now());
  return outcome;
}
