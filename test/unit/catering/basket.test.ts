import { expect } from 'chai';
import { checkBasket, type PricedItem } from '../../../services/modules/catering/basket.js';
import { isoWeekday, localDate } from '../../../services/modules/catering/school-day.js';

const list = new Map<string, PricedItem>([
  ['MEAL', { code: 'MEAL', name: 'Hot meal', pricePence: 250, allergens: ['milk'], available: true }],
  ['SOUP', { code: 'SOUP', name: 'Soup', pricePence: 120, allergens: ['celery', 'gluten'], available: true }],
  ['OLD', { code: 'OLD', name: 'Withdrawn', pricePence: 10, allergens: [], available: false }],
]);
const bytes = (value: unknown) => new TextEncoder().encode(typeof value === 'string' ? value : JSON.stringify(value));

describe('catering: the signed basket', () => {
  it('accepts a basket at list prices and collects its allergens', () => {
    const check = checkBasket(bytes({ items: [{ code: 'MEAL', qty: 1, unitPence: 250 }, { code: 'SOUP', qty: 2, unitPence: 120 }], totalPence: 490 }), list);
    expect(check).to.deep.equal({
      ok: true,
      basket: { items: [{ code: 'MEAL', qty: 1, unitPence: 250 }, { code: 'SOUP', qty: 2, unitPence: 120 }], totalPence: 490 },
      allergens: ['celery', 'gluten', 'milk'],
    });
  });

  it('names why a basket is refused', () => {
    const reason = (value: unknown) => {
      const check = checkBasket(bytes(value), list);
      return check.ok ? 'ok' : check.reason;
    };
    expect(reason({ items: [{ code: 'NOPE', qty: 1, unitPence: 1 }], totalPence: 1 })).to.equal('unknown_item');
    expect(reason({ items: [{ code: 'OLD', qty: 1, unitPence: 10 }], totalPence: 10 })).to.equal('unknown_item');
    expect(reason({ items: [{ code: 'MEAL', qty: 1, unitPence: 200 }], totalPence: 200 })).to.equal('price_mismatch');
    expect(reason({ items: [{ code: 'MEAL', qty: 2, unitPence: 250 }], totalPence: 250 })).to.equal('price_mismatch');
    expect(reason({ items: [], totalPence: 0 })).to.equal('basket_invalid');
    expect(reason({ items: [{ code: 'MEAL', qty: 0, unitPence: 250 }], totalPence: 0 })).to.equal('basket_invalid');
    expect(reason({ items: [{ code: 'MEAL', qty: 1, unitPence: 250.5 }], totalPence: 250.5 })).to.equal('basket_invalid');
    expect(reason({ items: [{ code: 'MEAL', qty: 1, unitPence: 250, extra: 1 }], totalPence: 250 })).to.equal('basket_invalid');
    expect(reason('{not json')).to.equal('basket_invalid');
    expect(checkBasket(new Uint8Array([0xff, 0xfe]), list)).to.include({ ok: false, reason: 'basket_invalid' });
  });
});

describe('catering: school days in the organisation time zone', () => {
  it('takes the calendar date in the zone, across the clock change', () => {
    // BST starts at 01:00 UTC on 29 March 2026: 23:30 UTC the night before is still the 28th; in June 23:30 UTC is 00:30 the next day.
    expect(localDate(new Date('2026-03-28T23:30:00Z'), 'Europe/London')).to.equal('2026-03-28');
    expect(localDate(new Date('2026-06-01T23:30:00Z'), 'Europe/London')).to.equal('2026-06-02');
    expect(localDate(new Date('2026-11-23T23:30:00Z'), 'Europe/London')).to.equal('2026-11-23');
  });

  it('numbers weekdays from Monday', () => {
    expect(isoWeekday('2026-11-23')).to.equal(1);
    expect(isoWeekday('2026-11-29')).to.equal(7);
  });
});
