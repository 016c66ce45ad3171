import { expect } from 'chai';
import { latestPurgeSlot, nextPurgeSlot, purgeInstantOn } from '../../../services/auth/taps/purge-time.js';

const at = { hour: 3, minute: 30 };
const iso = (date: Date) => date.toISOString();

describe('auth: when the daily tap purge is due', () => {
  it('is 03:30 on the wall clock of the zone, GMT in winter and BST in summer', () => {
    expect(iso(nextPurgeSlot(new Date('2026-01-15T00:00:00Z'), at, 'Europe/London'))).to.equal('2026-01-15T03:30:00.000Z');
    expect(iso(nextPurgeSlot(new Date('2026-07-15T00:00:00Z'), at, 'Europe/London'))).to.equal('2026-07-15T02:30:00.000Z');
  });

  it('rolls over to tomorrow once today\'s time has come, and the latest slot to yesterday before it', () => {
    const before = new Date('2026-01-15T03:29:59.999Z');
    const on = new Date('2026-01-15T03:30:00.000Z');
    expect(iso(nextPurgeSlot(before, at, 'Europe/London'))).to.equal('2026-01-15T03:30:00.000Z');
    expect(iso(nextPurgeSlot(on, at, 'Europe/London')), 'the slot itself is no longer next').to.equal('2026-01-16T03:30:00.000Z');
    expect(iso(latestPurgeSlot(before, at, 'Europe/London'))).to.equal('2026-01-14T03:30:00.000Z');
    expect(iso(latestPurgeSlot(on, at, 'Europe/London'))).to.equal('2026-01-15T03:30:00.000Z');
  });

  it('rolls over month and year ends', () => {
    expect(iso(nextPurgeSlot(new Date('2026-12-31T12:00:00Z'), at, 'Europe/London'))).to.equal('2027-01-01T03:30:00.000Z');
    expect(iso(latestPurgeSlot(new Date('2027-03-01T01:00:00Z'), at, 'Europe/London'))).to.equal('2027-02-28T03:30:00.000Z');
  });

  it('reads the day in the zone, not in UTC: late evening in New York is still that day there', () => {
    // 02:00 UTC on the 16th is 21:00 on the 15th in New York (EST): today's 23:00 is still to come.
    const late = { hour: 23, minute: 0 };
    expect(iso(nextPurgeSlot(new Date('2026-01-16T02:00:00Z'), late, 'America/New_York'))).to.equal('2026-01-16T04:00:00.000Z');
    expect(iso(latestPurgeSlot(new Date('2026-01-16T02:00:00Z'), late, 'America/New_York'))).to.equal('2026-01-15T04:00:00.000Z');
  });

  it('gives the same instant whatever time zone the host runs in', () => {
    const saved = process.env.TZ;
    const answers = new Set<string>();
    try {
      for (const tz of ['UTC', 'Pacific/Auckland', 'America/Los_Angeles']) {
        process.env.TZ = tz;
        answers.add(iso(nextPurgeSlot(new Date('2026-03-10T12:00:00Z'), at, 'Europe/London')));
      }
    } finally {
      if (saved === undefined) delete process.env.TZ;
      else process.env.TZ = saved;
    }
    expect([...answers]).to.deep.equal(['2026-03-11T03:30:00.000Z']);
  });

  it('on the spring change runs a skipped time an hour later on the wall, and keeps the day\'s other times', () => {
    // 2026-03-29 in London: 01:00 GMT becomes 02:00 BST, so 01:30 never shows on the clock.
    const day = Date.UTC(2026, 2, 29);
    expect(iso(purgeInstantOn(day, { hour: 1, minute: 30 }, 'Europe/London'))).to.equal('2026-03-29T01:30:00.000Z');
    expect(iso(purgeInstantOn(day, at, 'Europe/London')), '03:30 BST').to.equal('2026-03-29T02:30:00.000Z');
    expect(iso(purgeInstantOn(day, { hour: 0, minute: 30 }, 'Europe/London')), '00:30 GMT').to.equal('2026-03-29T00:30:00.000Z');
  });

  it('on the autumn change runs a time that happens twice at its first occurrence, once', () => {
    // 2026-10-25 in London: 02:00 BST becomes 01:00 GMT, so 01:30 shows twice.
    const day = Date.UTC(2026, 9, 25);
    expect(iso(purgeInstantOn(day, { hour: 1, minute: 30 }, 'Europe/London'))).to.equal('2026-10-25T00:30:00.000Z');
    // Between the two 01:30s the latest slot is the first one: the second does not make a second run.
    expect(iso(latestPurgeSlot(new Date('2026-10-25T01:30:00Z'), { hour: 1, minute: 30 }, 'Europe/London'))).to.equal('2026-10-25T00:30:00.000Z');
    expect(iso(nextPurgeSlot(new Date('2026-10-25T00:30:00Z'), { hour: 1, minute: 30 }, 'Europe/London'))).to.equal('2026-10-26T01:30:00.000Z');
  });

  it('lands exactly on the slot for every minute of a day (no off-by-one across the whole clock)', () => {
    for (let minute = 0; minute < 24 * 60; minute += 7) {
      const time = { hour: Math.floor(minute / 60), minute: minute % 60 };
      const slot = nextPurgeSlot(new Date('2026-06-01T00:00:00Z'), time, 'UTC');
      expect(latestPurgeSlot(slot, time, 'UTC').getTime(), `${time.hour}:${time.minute}`).to.equal(slot.getTime());
      expect(slot.getTime() - latestPurgeSlot(new Date(slot.getTime() - 1), time, 'UTC').getTime()).to.equal(86_400_000);
    }
  });
});
