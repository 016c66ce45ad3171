import { expect } from 'chai';
import fc from 'fast-check';
import { localDateString, nextMidnight, startOfLocalDay } from '../../../services/identity/issuance/index.js';

describe('midnight in the organisation time zone', () => {
  const london = 'Europe/London';

  it('finds midnight on the days the clocks change, not 24 hours on', () => {
    // 29 March 2026: clocks forward at 01:00 GMT, so the day ends at 23:00 UTC.
    expect(nextMidnight(new Date('2026-03-29T00:30:00Z'), london).toISOString()).to.equal('2026-03-29T23:00:00.000Z');
    expect(nextMidnight(new Date('2026-03-28T23:59:59Z'), london).toISOString()).to.equal('2026-03-29T00:00:00.000Z');
    // 25 October 2026: clocks back at 02:00 BST; the day runs from 23:00 UTC on the 24th to 00:00 UTC on the 26th.
    expect(nextMidnight(new Date('2026-10-24T23:00:00Z'), london).toISOString()).to.equal('2026-10-26T00:00:00.000Z');
    expect(nextMidnight(new Date('2026-10-24T22:59:59Z'), london).toISOString()).to.equal('2026-10-24T23:00:00.000Z');
    expect(nextMidnight(new Date('2026-10-25T23:59:59Z'), london).toISOString()).to.equal('2026-10-26T00:00:00.000Z');
  });

  it('starts a day when the clocks land if they jump over midnight (São Paulo, 4 November 2018)', () => {
    expect(startOfLocalDay({ year: 2018, month: 11, day: 4 }, 'America/Sao_Paulo').toISOString()).to.equal('2018-11-04T03:00:00.000Z');
  });

  it('reads the local date', () => {
    expect(localDateString(new Date('2026-06-30T23:30:00Z'), london)).to.equal('2026-07-01');
    expect(localDateString(new Date('2026-12-31T23:30:00Z'), london)).to.equal('2026-12-31');
  });

  it('is always after now, at most 25 hours on, and at local midnight of the next day', () => {
    const zones = ['Europe/London', 'America/New_York', 'Australia/Lord_Howe', 'Asia/Kolkata', 'Pacific/Chatham', 'UTC'];
    fc.assert(
      fc.property(fc.integer({ min: Date.parse('2020-01-01'), max: Date.parse('2035-01-01') }), fc.constantFrom(...zones), (t, zone) => {
        const now = new Date(t);
        const midnight = nextMidnight(now, zone);
        const hours = new Intl.DateTimeFormat('en-GB', { timeZone: zone, hourCycle: 'h23', hour: 'numeric', minute: 'numeric' }).format(midnight);
        return midnight > now && midnight.getTime() - t <= 25 * 3_600_000 && hours === '00:00' && localDateString(midnight, zone) !== localDateString(now, zone);
      }),
      { numRuns: 400 },
    );
  });
});
