import { expect } from 'chai';
import { parseSpend } from '../../../services/modules/budgets/spend.js';

const bytes = (value: unknown) => new TextEncoder().encode(typeof value === 'string' ? value : JSON.stringify(value));

describe('budgets: the signed spend payload', () => {
  it('reads an amount in pence and a category', () => {
    expect(parseSpend(bytes({ amountPence: 1250, category: 'personal-care' }))).to.deep.equal({ amountPence: 1250, category: 'personal-care' });
    expect(parseSpend(bytes({ category: 'transport', amountPence: 1 }))).to.deep.equal({ amountPence: 1, category: 'transport' });
  });

  it('refuses anything else', () => {
    for (const value of [
      { amountPence: 0, category: 'personal-care' },
      { amountPence: 12.5, category: 'personal-care' },
      { amountPence: '1250', category: 'personal-care' },
      { amountPence: 1250, category: 'Personal Care' },
      { amountPence: 1250 },
      { amountPence: 1250, category: 'personal-care', provider: 'x' },
      [1250, 'personal-care'],
      'not json',
    ]) {
      expect(parseSpend(bytes(value)), JSON.stringify(value)).to.equal(undefined);
    }
    expect(parseSpend(new Uint8Array([0xc3]))).to.equal(undefined);
  });
});
