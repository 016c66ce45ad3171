import { expect } from 'chai';
import { decideDoor, type DoorAccessFacts, type HeldMembership } from '../../../services/modules/access/rules/door-rules.js';
import { minuteOfDay } from '../../../services/modules/access/rules/schedule.js';

const at = new Date('2026-07-01T09:00:00Z'); // Wednesday 10:00 BST
const member = (over: Partial<HeldMembership> = {}): HeldMembership => ({ groupId: 'staff', validFrom: null, validUntil: null, schedule: null, opensZone: true, ...over });
const facts = (over: Partial<DoorAccessFacts> = {}): DoorAccessFacts => ({
  at,
  timeZone: 'Europe/London',
  assurance: 'card',
  cardActive: true,
  requiresPin: false,
  antiPassback: 'off',
  direction: 'entry',
  presence: 'unknown',
  lockdowns: [],
  memberships: [member()],
  ...over,
});

describe('access door rules', () => {
  it('grants a member of a group that opens the zone', () => {
    expect(decideDoor(facts())).to.deep.equal({ decision: 'granted', reason: 'ok' });
  });

  it('denies a card that is not active', () => {
    expect(decideDoor(facts({ cardActive: false })).reason).to.equal('card_not_active');
  });

  it('denies card-only where the door needs card and PIN, and grants with the PIN key', () => {
    expect(decideDoor(facts({ requiresPin: true })).reason).to.equal('pin_required');
    expect(decideDoor(facts({ requiresPin: true, assurance: 'card+pin' })).decision).to.equal('granted');
  });

  it('denies a cardholder in no group of the zone', () => {
    expect(decideDoor(facts({ memberships: [] })).reason).to.equal('not_in_group');
    expect(decideDoor(facts({ memberships: [member({ opensZone: false })] })).reason).to.equal('not_in_group');
  });

  it('lets temporary access expire by itself and not start early', () => {
    const visitor = member({ validFrom: new Date('2026-07-01T08:00:00Z'), validUntil: new Date('2026-07-01T10:00:00Z') });
    expect(decideDoor(facts({ memberships: [visitor] })).decision).to.equal('granted');
    expect(decideDoor(facts({ memberships: [visitor], at: new Date('2026-07-01T10:00:00Z') })).reason).to.equal('access_expired');
    expect(decideDoor(facts({ memberships: [visitor], at: new Date('2026-07-01T07:59:00Z') })).reason).to.equal('access_expired');
  });

  it('denies outside the group schedule, grants when any valid group is open', () => {
    const mornings = { id: 'm', intervals: [{ day: 'wed' as const, startMinute: minuteOfDay('07:00'), endMinute: minuteOfDay('09:00') }], holidays: [] };
    expect(decideDoor(facts({ memberships: [member({ schedule: mornings })] })).reason).to.equal('outside_schedule');
    expect(decideDoor(facts({ memberships: [member({ schedule: mornings }), member({ groupId: 'b' })] })).decision).to.equal('granted');
  });

  it('denies everyone but the named override groups during a lockdown, whatever the schedule', () => {
    const mornings = { id: 'm', intervals: [{ day: 'wed' as const, startMinute: 0, endMinute: 1 }], holidays: [] };
    expect(decideDoor(facts({ lockdowns: [{ scope: 'zone', overrideGroupIds: ['responders'] }] })).reason).to.equal('locked_down');
    const responder = member({ groupId: 'responders', opensZone: false, schedule: mornings });
    expect(decideDoor(facts({ lockdowns: [{ scope: 'site', overrideGroupIds: ['responders'] }], memberships: [responder] }))).to.deep.equal({
      decision: 'granted',
      reason: 'lockdown_override',
    });
    // Both a site and a zone lockdown: the cardholder must be named by both.
    const both = [{ scope: 'site' as const, overrideGroupIds: ['responders'] }, { scope: 'zone' as const, overrideGroupIds: ['police'] }];
    expect(decideDoor(facts({ lockdowns: both, memberships: [responder] })).reason).to.equal('locked_down');
  });

  it('refuses an expired override membership during a lockdown', () => {
    const lapsed = member({ groupId: 'responders', validUntil: new Date('2026-07-01T08:00:00Z') });
    expect(decideDoor(facts({ lockdowns: [{ scope: 'zone', overrideGroupIds: ['responders'] }], memberships: [lapsed] })).reason).to.equal('locked_down');
  });

  it('applies hard anti-passback to a second entry and to an exit without entry', () => {
    expect(decideDoor(facts({ antiPassback: 'hard', presence: 'inside' })).reason).to.equal('anti_passback');
    expect(decideDoor(facts({ antiPassback: 'hard', presence: 'outside', direction: 'exit' })).reason).to.equal('anti_passback');
    expect(decideDoor(facts({ antiPassback: 'hard', presence: 'outside' })).decision).to.equal('granted');
    expect(decideDoor(facts({ antiPassback: 'hard', presence: 'unknown' })).decision).to.equal('granted');
    expect(decideDoor(facts({ antiPassback: 'off', presence: 'inside' })).reason).to.equal('ok');
  });

  it('grants soft anti-passback but says so', () => {
    expect(decideDoor(facts({ antiPassback: 'soft', presence: 'inside' }))).to.deep.equal({ decision: 'granted', reason: 'anti_passback_soft' });
  });
});
