import { meetsAssurance, type Assurance } from '../../../../shared/modules/index.js';
import { scheduleOpenAt, type Schedule } from './schedule.js';

export type AntiPassback = 'off' | 'soft' | 'hard';
export type Direction = 'entry' | 'exit';
export type Presence = 'inside' | 'outside' | 'unknown';

/** A cardholder's membership of a group, with the group's schedule (null: at all times). */
export interface HeldMembership {
  readonly groupId: string;
  readonly validFrom: Date | null;
  readonly validUntil: Date | null;
  readonly schedule: Schedule | null;
  /** Whether the group opens the zone of the door being decided. */
  readonly opensZone: boolean;
}

/** An active lockdown over the door's site or zone, and the groups it still lets through. */
export interface ActiveLockdown {
  readonly scope: 'site' | 'zone';
  readonly overrideGroupIds: readonly string[];
}

/** Everything one door decision depends on, already loaded (from the database or an allow-list). */
export interface DoorAccessFacts {
  readonly at: Date;
  readonly timeZone: string;
  readonly assurance: Assurance;
  readonly cardActive: boolean;
  readonly requiresPin: boolean;
  readonly antiPassback: AntiPassback;
  readonly direction: Direction;
  readonly presence: Presence;
  readonly lockdowns: readonly ActiveLockdown[];
  readonly memberships: readonly HeldMembership[];
}

/** Every reason a door stays shut (docs/modules/access.md lists them). */
export const DENY_REASONS = [
  'not_a_door',
  'unknown_cardholder',
  'card_not_active',
  'pin_required',
  'locked_down',
  'not_in_group',
  'access_expired',
  'outside_schedule',
  'anti_passback',
  'allow_list_expired',
] as const;
export type DenyReason = (typeof DENY_REASONS)[number];
export type GrantReason = 'ok' | 'lockdown_override' | 'anti_passback_soft';

export type DoorVerdict =
  | { readonly decision: 'granted'; readonly reason: GrantReason }
  | { readonly decision: 'denied'; readonly reason: DenyReason };

/**
 * The door rules, in the order they are checked. The same function decides online taps and a
 * controller's offline taps, so the two cannot drift apart.
 */
export function decideDoor(facts: DoorAccessFacts): DoorVerdict {
  // The card must be in use: not suspended, revoked or expired.
  if (!facts.cardActive) return deny('card_not_active');
  // A door or zone that asks for card and PIN needs the PIV Authentication key (slot 9A).
  if (facts.requiresPin && !meetsAssurance(facts.assurance, 'card+pin')) return deny('pin_required');
  const current = facts.memberships.filter((m) => withinWindow(m, facts.at));
  // A lockdown lets through only members of the override groups it names (of every lockdown in force), whatever their schedule.
  if (facts.lockdowns.length > 0) {
    const held = new Set(current.map((m) => m.groupId));
    const overridden = facts.lockdowns.every((l) => l.overrideGroupIds.some((g) => held.has(g)));
    return overridden ? grant('lockdown_override') : deny('locked_down');
  }
  const forZone = facts.memberships.filter((m) => m.opensZone);
  // Some group must open this zone ...
  if (forZone.length === 0) return deny('not_in_group');
  // ... through a membership that has started and not lapsed (temporary access ends by itself) ...
  const valid = forZone.filter((m) => withinWindow(m, facts.at));
  if (valid.length === 0) return deny('access_expired');
  // ... and whose schedule is open now, in the organisation's time zone.
  if (!valid.some((m) => m.schedule === null || scheduleOpenAt(m.schedule, facts.at, facts.timeZone))) return deny('outside_schedule');
  // Anti-passback: no second entry without an exit, no exit without an entry.
  if (facts.antiPassback !== 'off' && passesBack(facts.direction, facts.presence)) {
    return facts.antiPassback === 'hard' ? deny('anti_passback') : grant('anti_passback_soft');
  }
  return grant('ok');
}

/** Where a grant through this reader leaves the cardholder. */
export function presenceAfter(direction: Direction): Exclude<Presence, 'unknown'> {
  return direction === 'entry' ? 'inside' : 'outside';
}

function passesBack(direction: Direction, presence: Presence): boolean {
  return (direction === 'entry' && presence === 'inside') || (direction === 'exit' && presence === 'outside');
}

function withinWindow(m: HeldMembership, at: Date): boolean {
  return (m.validFrom === null || m.validFrom <= at) && (m.validUntil === null || at < m.validUntil);
}

const deny = (reason: DenyReason): DoorVerdict => ({ decision: 'denied', reason });
const grant = (reason: GrantReason): DoorVerdict => ({ decision: 'granted', reason });
