import type { Assurance } from '../../../../shared/modules/index.js';
import { decideDoor, type DoorVerdict, type HeldMembership, type Presence } from '../rules/door-rules.js';
import type { AllowList } from './allow-list-format.js';

/** A card the controller has authenticated itself: the card signed its random challenge with this certificate's key. */
export interface LocallyAuthenticatedCard {
  /** SHA-256 of the certificate DER, lower-case hex. */
  readonly fingerprint: string;
  readonly slot: '9A' | '9E';
}

export interface OfflineVerdict {
  readonly verdict: DoorVerdict;
  readonly cardholderId: string | null;
}

/**
 * Decides a tap at a door while the platform is unreachable, from the verified allow-list and
 * with the same rules as online. The slot gives the assurance exactly as online (9A needed the
 * PIN). Anti-passback uses what this controller itself saw (`presence`). Past its expiry the
 * list fails closed: only members of emergency groups still pass.
 */
export function decideOffline(list: AllowList, card: LocallyAuthenticatedCard, at: Date, presence: Presence = 'unknown'): OfflineVerdict {
  const credential = list.credentials.find((c) => c.fingerprint === card.fingerprint && c.slot === card.slot);
  if (!credential) {
    const withdrawn = list.revoked.includes(card.fingerprint);
    return { verdict: { decision: 'denied', reason: withdrawn ? 'card_not_active' : 'unknown_cardholder' }, cardholderId: null };
  }
  const cardholderId = credential.cardholderId;
  const holder = list.holders.find((h) => h.cardholderId === cardholderId);
  const groups = new Map(list.groups.map((g) => [g.id, g]));
  const memberships: HeldMembership[] = (holder?.memberships ?? []).flatMap((m) => {
    const group = groups.get(m.groupId);
    if (!group) return [];
    return [{
      groupId: m.groupId,
      validFrom: m.validFrom ? new Date(m.validFrom) : null,
      validUntil: m.validUntil ? new Date(m.validUntil) : null,
      schedule: group.scheduleId ? (list.schedules.find((s) => s.id === group.scheduleId) ?? null) : null,
      opensZone: group.opensZone,
    }];
  });
  const expired = at >= new Date(list.expiresAt);
  const cardActive = !list.revoked.includes(card.fingerprint) && at < new Date(credential.notAfter);
  const assurance: Assurance = card.slot === '9A' ? 'card+pin' : 'card';
  if (expired) {
    // Fail closed: an out-of-date list may miss revocations, so only the emergency groups pass.
    const emergency = memberships.some((m) => groups.get(m.groupId)?.emergency && (m.validUntil === null || at < m.validUntil));
    if (cardActive && emergency && list.door.requiresPin && assurance !== 'card+pin') return { verdict: { decision: 'denied', reason: 'pin_required' }, cardholderId };
    if (!emergency || !cardActive) return { verdict: { decision: 'denied', reason: cardActive ? 'allow_list_expired' : 'card_not_active' }, cardholderId };
    return { verdict: { decision: 'granted', reason: 'ok' }, cardholderId };
  }
  const verdict = decideDoor({
    at,
    timeZone: list.timeZone,
    assurance,
    cardActive,
    requiresPin: list.door.requiresPin,
    antiPassback: list.antiPassback,
    direction: list.direction,
    presence,
    lockdowns: list.lockdowns,
    memberships,
  });
  return { verdict, cardholderId };
}
