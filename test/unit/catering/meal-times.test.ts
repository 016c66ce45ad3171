import { expect } from 'chai';
import { localTime, mealTimeAt, type MealTime } from '../../../services/modules/catering/meal-times.js';

describe('catering: meal time of an instant', () => {
  const meals: MealTime[] = [
    { name: 'breakfast', startsAt: '07:30', endsAt: '09:00', limitPence: null, fsm: false },
    { name: 'lunch', startsAt: '11:45', endsAt: '13:30', limitPence: 300, fsm: true },
  ];

  it('reads the wall clock in the organisation time zone, across the change to and from summer time', () => {
    expect(localTime(new Date('2026-11-23T12:00:00Z'), 'Europe/London')).to.equal('12:00:00');
    expect(localTime(new Date('2026-10-20T10:50:00Z'), 'Europe/London')).to.equal('11:50:00');
    expect(localTime(new Date('2026-03-29T00:59:59Z'), 'Europe/London')).to.equal('00:59:59');
    expect(localTime(new Date('2026-03-29T01:00:00Z'), 'Europe/London')).to.equal('02:00:00');
    expect(localTime(new Date('2026-11-23T00:30:00Z'), 'Europe/London')).to.equal('00:30:00');
  });

  it('finds the meal time from its start (inclusive) to its end (exclusive)', () => {
    expect(mealTimeAt(meals, '07:29:59')).to.equal(undefined);
    expect(mealTimeAt(meals, '07:30:00')?.name).to.equal('breakfast');
    expect(mealTimeAt(meals, '08:59:59')?.name).to.equal('breakfast');
    expect(mealTimeAt(meals, '09:00:00')).to.equal(undefined);
    expect(mealTimeAt(meals, '13:29:59')?.name).to.equal('lunch');
    expect(mealTimeAt(meals, '13:30:00')).to.equal(undefined);
    expect(mealTimeAt([{ ...meals[0]!, startsAt: '22:00', endsAt: '24:00' }], '23:59:59')?.name).to.equal('breakfast');
  });
});
