import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import { planTransfers, type LedgerState, type LockedAccount, type PlanOutcome } from '../../../shared/ledger/plan-transfers.js';
import { prepareTransfer, type PreparedTransfer } from '../../../shared/ledger/prepare-transfer.js';
import type { TransferInput } from '../../../shared/ledger/index.js';

const purse: LockedAccount = { id: randomUUID(), currency: 'GBP', floor: 0, balance: 500 };
const till: LockedAccount = { id: randomUUID(), currency: 'GBP', floor: 0, balance: 0 };
const euro: LockedAccount = { id: randomUUID(), currency: 'EUR', floor: 0, balance: 0 };

function state(extra: Partial<LedgerState> = {}): LedgerState {
  return { accounts: new Map([purse, till, euro].map((a) => [a.id, a])), originals: new Map(), stored: new Map(), ...extra };
}

function debit(key: string, amount: number, overrides: Partial<TransferInput> = {}): PreparedTransfer {
  return prepareTransfer(
    { idempotencyKey: key, debitAccountId: purse.id, creditAccountId: till.id, amount, currency: 'GBP', reason: 'lunch', module: 'catering', ...overrides },
    new Date('2026-11-21T12:00:00Z'),
  );
}

const kinds = (outcomes: PlanOutcome[]) => outcomes.map((o) => (o.kind === 'refused' ? o.error.code : o.kind));

describe('ledger: planning a batch of transfers', () => {
  it('decides in arrival order: the debit that would cross the floor fails alone, later ones that fit still apply', () => {
    const { outcomes, writes } = planTransfers(state(), [debit('a', 300), debit('b', 300), debit('c', 200)]);
    expect(kinds(outcomes)).to.deep.equal(['applied', 'ERR_INSUFFICIENT_FUNDS', 'applied']);
    expect(writes.deltas.get(purse.id)).to.equal(-500);
    expect(writes.deltas.get(till.id)).to.equal(500);
    expect(writes.entries.map((e) => [e.accountId === purse.id ? 'purse' : 'till', e.amount, e.balanceAfter])).to.deep.equal([
      ['purse', -300, 200],
      ['till', 300, 300],
      ['purse', -200, 0],
      ['till', 200, 500],
    ]);
  });

  it('answers a repeated key in the same batch with the first result, and a changed body with a mismatch', () => {
    const first = debit('same', 100);
    const { outcomes, writes } = planTransfers(state(), [first, debit('same', 100), debit('same', 101)]);
    expect(kinds(outcomes)).to.deep.equal(['applied', 'replayed', 'ERR_IDEMPOTENCY_MISMATCH']);
    expect((outcomes[1] as { result: unknown }).result).to.deep.equal((outcomes[0] as { result: unknown }).result);
    expect(writes.applied).to.have.length(1);
  });

  it('replays a key stored by an earlier transaction without moving money, even when funds have run out since', () => {
    const earlier = planTransfers(state(), [debit('k', 500)]).outcomes[0] as { kind: 'applied'; result: never };
    const stored = new Map([['k', { requestHash: debit('k', 500).requestHash, result: earlier.result }]]);
    const { outcomes, writes } = planTransfers(state({ accounts: new Map([[purse.id, { ...purse, balance: 0 }], [till.id, till]]), stored }), [debit('k', 500)]);
    expect(kinds(outcomes)).to.deep.equal(['replayed']);
    expect(writes.applied).to.have.length(0);
  });

  it('refuses unknown accounts and currency mismatches', () => {
    const { outcomes } = planTransfers(state(), [
      debit('x', 1, { creditAccountId: randomUUID() }),
      debit('y', 1, { creditAccountId: euro.id }),
      debit('z', 1, { currency: 'EUR', debitAccountId: euro.id }),
    ]);
    expect(kinds(outcomes)).to.deep.equal(['ERR_ACCOUNT_NOT_FOUND', 'ERR_CURRENCY_MISMATCH', 'ERR_CURRENCY_MISMATCH']);
  });

  it('lets an unbounded account go negative', () => {
    const funding: LockedAccount = { id: randomUUID(), currency: 'GBP', floor: null, balance: 0 };
    const s = state({ accounts: new Map([[funding.id, funding], [purse.id, purse]]) });
    const { outcomes } = planTransfers(s, [debit('load', 10_000, { debitAccountId: funding.id, creditAccountId: purse.id })]);
    expect(kinds(outcomes)).to.deep.equal(['applied']);
  });

  it('caps all reversals of a transfer at its amount, across the batch and earlier transactions', () => {
    const originalId = randomUUID();
    const original = { id: originalId, debitAccountId: till.id, creditAccountId: purse.id, amount: 300, currency: 'GBP', reversesTransferId: null, reversedSoFar: 100 };
    const reversal = (key: string, amount: number) => debit(key, amount, { reversesTransferId: originalId });
    const { outcomes } = planTransfers(state({ originals: new Map([[originalId, original]]) }), [reversal('r1', 150), reversal('r2', 100), reversal('r3', 50)]);
    expect(kinds(outcomes)).to.deep.equal(['applied', 'ERR_REVERSAL_EXCEEDS_ORIGINAL', 'applied']);
  });

  it('refuses a reversal in the wrong direction, of a reversal, or of an unknown transfer', () => {
    const originalId = randomUUID();
    const ofReversalId = randomUUID();
    const originals = new Map([
      [originalId, { id: originalId, debitAccountId: purse.id, creditAccountId: till.id, amount: 300, currency: 'GBP', reversesTransferId: null, reversedSoFar: 0 }],
      [ofReversalId, { id: ofReversalId, debitAccountId: till.id, creditAccountId: purse.id, amount: 300, currency: 'GBP', reversesTransferId: originalId, reversedSoFar: 0 }],
    ]);
    const { outcomes } = planTransfers(state({ originals }), [
      debit('w', 10, { reversesTransferId: originalId }),
      debit('v', 10, { reversesTransferId: ofReversalId }),
      debit('u', 10, { reversesTransferId: randomUUID() }),
    ]);
    expect(kinds(outcomes)).to.deep.equal(['ERR_REVERSAL_INVALID', 'ERR_REVERSAL_INVALID', 'ERR_TRANSFER_NOT_FOUND']);
  });

  it('refuses a transfer that would take a balance beyond the safe integer range', () => {
    const rich: LockedAccount = { id: randomUUID(), currency: 'GBP', floor: null, balance: Number.MAX_SAFE_INTEGER - 1 };
    const s = state({ accounts: new Map([[rich.id, rich], [purse.id, purse]]) });
    const { outcomes } = planTransfers(s, [debit('huge', 10, { debitAccountId: purse.id, creditAccountId: rich.id })]);
    expect(kinds(outcomes)).to.deep.equal(['ERR_BALANCE_OUT_OF_RANGE']);
  });
});
