import { expect } from 'chai';
import fc from 'fast-check';
import { isTesseraError } from '../../../shared/errors/index.js';
import { assertPinRules, brokenPinRule, generatePin } from '../../../services/identity/issuance/index.js';

describe('PIN rules', () => {
  it('accepts ordinary six to eight digit PINs', () => {
    for (const pin of ['204863', '1357924', '90817263', '112233', '246810', '013579', '123457']) expect(brokenPinRule(pin), pin).to.equal(undefined);
  });

  it('names the rule a PIN breaks', () => {
    const cases: [string, string][] = [
      ['', 'length'],
      ['12345', 'length'],
      ['123456789', 'length'],
      ['12 456', 'digits'],
      ['１２３４５６', 'digits'],
      ['000000', 'repeated'],
      ['99999999', 'repeated'],
      ['123456', 'sequence'],
      ['01234567', 'sequence'],
      ['654321', 'sequence'],
      ['890123', 'sequence'],
      ['210987', 'sequence'],
    ];
    for (const [pin, rule] of cases) expect(brokenPinRule(pin), JSON.stringify(pin)).to.equal(rule);
  });

  it('throws ERR_PIN_RULE with the rule and the field, never the PIN', () => {
    let error: unknown;
    try {
      assertPinRules('444444', 'newPin');
    } catch (e) {
      error = e;
    }
    expect(isTesseraError(error) && error.code).to.equal('ERR_PIN_RULE');
    expect((error as { extensions: object }).extensions).to.deep.equal({ rule: 'repeated', field: 'newPin' });
    expect(String((error as Error).message)).not.to.include('444444');
  });

  it('generated PINs always keep the rules', () => {
    fc.assert(fc.property(fc.constant(null), () => brokenPinRule(generatePin()) === undefined), { numRuns: 500 });
  });

  it('any PIN of 6 to 8 digits that is neither repeated nor a step-one sequence passes', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 6, maxLength: 8 }), (digits) => {
        const pin = digits.join('');
        const repeated = digits.every((d) => d === digits[0]);
        const up = digits.every((d, i) => i === 0 || d === (digits[i - 1]! + 1) % 10);
        const down = digits.every((d, i) => i === 0 || d === (digits[i - 1]! + 9) % 10);
        return (brokenPinRule(pin) === undefined) === !(repeated || up || down);
      }),
    );
  });
});
