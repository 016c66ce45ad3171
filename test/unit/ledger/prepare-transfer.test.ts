import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import { isTesseraError } from '../../../shared/errors/index.js';
import { normalizeTransfer, prepareTransfer } from '../../../shared/ledger/prepare-transfer.js';
import type { TransferInput } from '../../../shared/ledger/index.js';

const base = (): TransferInput => ({
  idempotencyKey: 'key-1',
  debitAccountId: randomUUID(),
  creditAccountId: randomUUID(),
  amount: 250,
  currency: 'GBP',
  reason: 'lunch',
  module: 'catering',
});

function codeOf(work: () => unknown): string | undefined {
  try {
    work();
  } catch (error) {
    return isTesseraError(error) ? error.code : 'not a TesseraError';
  }
  return undefined;
}

describe('ledger: preparing a transfer', () => {
  for (const [label, amount] of [
    ['zero', 0],
    ['negative', -5],
    ['fractional', 2.5],
    ['a string', '250'],
    ['beyond the safe range', Number.MAX_SAFE_INTEGER + 1],
    ['NaN', Number.NaN],
    ['infinite', Number.POSITIVE_INFINITY],
  ] as const) {
    it(`refuses an amount that is ${label}`, () => {
      expect(codeOf(() => normalizeTransfer({ ...base(), amount: amount as number }))).to.equal('ERR_AMOUNT_INVALID');
    });
  }

  it('accepts the largest safe integer as an amount', () => {
    expect(normalizeTransfer({ ...base(), amount: Number.MAX_SAFE_INTEGER }).amount).to.equal(Number.MAX_SAFE_INTEGER);
  });

  it('refuses a missing or unprintable idempotency key', () => {
    expect(codeOf(() => normalizeTransfer({ ...base(), idempotencyKey: '' }))).to.equal('ERR_IDEMPOTENCY_KEY_INVALID');
    expect(codeOf(() => normalizeTransfer({ ...base(), idempotencyKey: 'has space' }))).to.equal('ERR_IDEMPOTENCY_KEY_INVALID');
    expect(codeOf(() => normalizeTransfer({ ...base(), idempotencyKey: 'x'.repeat(256) }))).to.equal('ERR_IDEMPOTENCY_KEY_INVALID');
  });

  it('names an account id that cannot exist as not found, and refuses the same account twice', () => {
    expect(codeOf(() => normalizeTransfer({ ...base(), debitAccountId: 'purse-1' }))).to.equal('ERR_ACCOUNT_NOT_FOUND');
    const id = randomUUID();
    expect(codeOf(() => normalizeTransfer({ ...base(), debitAccountId: id, creditAccountId: id.toUpperCase() }))).to.equal('ERR_SAME_ACCOUNT');
  });

  it('refuses a malformed currency, reason, module or metadata', () => {
    expect(codeOf(() => normalizeTransfer({ ...base(), currency: 'gbp' }))).to.equal('ERR_TRANSFER_INVALID');
    expect(codeOf(() => normalizeTransfer({ ...base(), reason: '' }))).to.equal('ERR_TRANSFER_INVALID');
    expect(codeOf(() => normalizeTransfer({ ...base(), module: 'm'.repeat(65) }))).to.equal('ERR_TRANSFER_INVALID');
    expect(codeOf(() => normalizeTransfer({ ...base(), metadata: ['a'] as unknown as Record<string, unknown> }))).to.equal('ERR_TRANSFER_INVALID');
    expect(codeOf(() => normalizeTransfer({ ...base(), metadata: { big: 'x'.repeat(5000) } }))).to.equal('ERR_TRANSFER_INVALID');
  });

  it('hashes the same body the same way whatever the key order, and a different body differently', () => {
    const input = { ...base(), metadata: { row: 3, file: 'loads.csv' } };
    const reordered = { ...input, metadata: { file: 'loads.csv', row: 3 } };
    const now = new Date();
    expect(prepareTransfer(input, now).requestHash).to.equal(prepareTransfer(reordered, now).requestHash);
    expect(prepareTransfer({ ...input, idempotencyKey: 'another' }, now).requestHash).to.equal(prepareTransfer(input, now).requestHash);
    expect(prepareTransfer({ ...input, amount: 251 }, now).requestHash).to.not.equal(prepareTransfer(input, now).requestHash);
    expect(prepareTransfer({ ...input, staffId: 'staff-2' }, now).requestHash).to.not.equal(prepareTransfer(input, now).requestHash);
  });

  it('treats absent and null optional fields alike', () => {
    const now = new Date();
    const fixed = base();
    expect(prepareTransfer({ ...fixed, tapId: null, staffId: null, metadata: null }, now).requestHash).to.equal(prepareTransfer(fixed, now).requestHash);
  });
});
