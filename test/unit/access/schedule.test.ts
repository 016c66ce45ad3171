import { expect } from 'chai';
import { wallTime } from '../../../services/modules/access/rules/local-time.js';
import { minuteOfDay, scheduleOpenAt, type Schedule } from '../../../services/modules/access/rules/schedule.js';

const LONDON = 'Europe/London';
const weekdays = (start: string, end: string): Schedule['intervals'] =>
  (['mon', 'tue', 'wed', 'thu', 'fri'] as const).map((day) => ({ day, startMinute: minuteOfDay(start), endMinute: minuteOfDay(end) }));

describe('access schedules', () => {
  const office: Schedule = { id: 's', intervals: weekdays('08:00', '18:00'), holidays: [] };

  it('reads the local wall time in the organisation time zone', () => {
    expect(wallTime(new Date('2026-07-01T07:30:00Z'), LONDON)).to.deep.equal({ date: '2026-07-01', weekday: 'wed', minute: 8 * 60 + 30 });
    expect(wallTime(new Date('2026-01-07T07:30:00Z'), LONDON)).to.deep.equal({ date: '2026-01-07', weekday: 'wed', minute: 7 * 60 + 30 });
  });

  it('opens on a weekday inside the interval and not outside it or at the weekend', () => {
    expect(scheduleOpenAt(office, new Date('2026-07-01T07:30:00Z'), LONDON)).to.equal(true); // 08:30 BST
    expect(scheduleOpenAt(office, new Date('2026-07-01T06:30:00Z'), LONDON)).to.equal(false); // 07:30 BST
    expect(scheduleOpenAt(office, new Date('2026-07-01T17:00:00Z'), LONDON)).to.equal(false); // 18:00 BST, end exclusive
    expect(scheduleOpenAt(office, new Date('2026-07-04T10:00:00Z'), LONDON)).to.equal(false); // Saturday
  });

  it('stays right across the spring clock change (2026-03-29, 01:00 GMT -> 02:00 BST)', () => {
    const night: Schedule = { id: 'n', intervals: [{ day: 'sun', startMinute: minuteOfDay('02:00'), endMinute: minuteOfDay('03:00') }], holidays: [] };
    expect(scheduleOpenAt(night, new Date('2026-03-29T00:30:00Z'), LONDON)).to.equal(false); // 00:30 GMT
    expect(scheduleOpenAt(night, new Date('2026-03-29T01:00:00Z'), LONDON)).to.equal(true); // 02:00 BST, one UTC hour after 01:00 GMT
    expect(scheduleOpenAt(night, new Date('2026-03-29T01:59:00Z'), LONDON)).to.equal(true); // 02:59 BST
    expect(scheduleOpenAt(night, new Date('2026-03-29T02:00:00Z'), LONDON)).to.equal(false); // 03:00 BST
    const sunday: Schedule = { id: 'd', intervals: [{ day: 'sun', startMinute: minuteOfDay('09:00'), endMinute: minuteOfDay('10:00') }], holidays: [] };
    expect(scheduleOpenAt(sunday, new Date('2026-03-29T08:30:00Z'), LONDON)).to.equal(true); // 09:30 BST
    expect(scheduleOpenAt(sunday, new Date('2026-03-29T09:30:00Z'), LONDON)).to.equal(false); // 10:30 BST, though 09:30 UTC
  });

  it('stays right across the autumn clock change (2026-10-25, 02:00 BST -> 01:00 GMT)', () => {
    const repeated: Schedule = { id: 'r', intervals: [{ day: 'sun', startMinute: minuteOfDay('01:00'), endMinute: minuteOfDay('02:00') }], holidays: [] };
    expect(scheduleOpenAt(repeated, new Date('2026-10-24T23:59:00Z'), LONDON)).to.equal(false); // 00:59 BST
    expect(scheduleOpenAt(repeated, new Date('2026-10-25T00:30:00Z'), LONDON)).to.equal(true); // first 01:30 (BST)
    expect(scheduleOpenAt(repeated, new Date('2026-10-25T01:30:00Z'), LONDON)).to.equal(true); // second 01:30 (GMT)
    expect(scheduleOpenAt(repeated, new Date('2026-10-25T02:00:00Z'), LONDON)).to.equal(false); // 02:00 GMT
    const sunday: Schedule = { id: 'd', intervals: [{ day: 'sun', startMinute: minuteOfDay('09:00'), endMinute: minuteOfDay('10:00') }], holidays: [] };
    expect(scheduleOpenAt(sunday, new Date('2026-10-25T09:30:00Z'), LONDON)).to.equal(true); // 09:30 GMT
    expect(scheduleOpenAt(sunday, new Date('2026-10-25T08:30:00Z'), LONDON)).to.equal(false); // 08:30 GMT
  });

  it('uses the holiday intervals instead of the weekday on a holiday', () => {
    const withHoliday: Schedule = {
      id: 'h',
      intervals: [...weekdays('08:00', '18:00'), { day: 'holiday', startMinute: minuteOfDay('10:00'), endMinute: minuteOfDay('12:00') }],
      holidays: ['2026-12-25'],
    };
    expect(scheduleOpenAt(withHoliday, new Date('2026-12-25T08:30:00Z'), LONDON)).to.equal(false); // Friday, but a holiday
    expect(scheduleOpenAt(withHoliday, new Date('2026-12-25T10:30:00Z'), LONDON)).to.equal(true); // holiday hours
    expect(scheduleOpenAt(withHoliday, new Date('2026-12-24T08:30:00Z'), LONDON)).to.equal(true); // the day before is ordinary
    const closed: Schedule = { id: 'c', intervals: weekdays('08:00', '18:00'), holidays: ['2026-12-25'] };
    expect(scheduleOpenAt(closed, new Date('2026-12-25T10:30:00Z'), LONDON)).to.equal(false);
  });

  it('accepts 24:00 as the end of the day and refuses nonsense', () => {
    expect(minuteOfDay('24:00')).to.equal(1440);
    expect(() => minuteOfDay('24:30')).to.throw();
    expect(() => minuteOfDay('7:00')).to.throw();
  });
});
