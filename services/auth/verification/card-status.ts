import type { Knex } from 'knex';
import { CARD_STATUS_CHANNEL, effectiveState, type CardState } from '../../identity/cards/index.js';
import { InvalidatingCache } from '../notifications/invalidating-cache.js';
import type { NotificationFeed } from '../notifications/notification-feed.js';

/** What the tap path needs to know about a certificate this platform issued, its card and cardholder. */
export interface PlatformCardStatus {
  readonly fingerprint: string;
  readonly cardId: string;
  readonly slot: '9A' | '9E';
  readonly certificateStatus: 'active' | 'on_hold' | 'revoked';
  readonly cardStatus: CardState;
  readonly expiresAt: Date;
  readonly suspendedUntil: Date | null;
  readonly cardholder: {
    readonly id: string;
    readonly reference: string;
    readonly givenName: string;
    readonly familyName: string;
    readonly kind: string;
    readonly orgUnit: string | null;
    readonly active: boolean;
  };
}

/**
 * Card status by certificate fingerprint, one query on a miss (certificate, card and
 * cardholder joined) and none on a hit. Entries of a card are dropped when PostgreSQL says the
 * card changed (CARD_STATUS_CHANNEL: the card lifecycle, and triggers on certificate status and
 * cardholder rows), and the whole cache is bypassed while that feed is down.
 */
export class CardStatusDirectory {
  readonly #cache: InvalidatingCache<string, PlatformCardStatus>;

  constructor(
    private readonly knex: Knex,
    feed: NotificationFeed,
    capacity = 200_000,
  ) {
    this.#cache = new InvalidatingCache(feed, capacity);
    feed.subscribe(CARD_STATUS_CHANNEL, (cardId) => this.#cache.deleteWhere((status) => status.cardId === cardId));
  }

  /** The platform's record of this certificate, or undefined when the platform never issued it. */
  statusOf(fingerprint: string): Promise<PlatformCardStatus | undefined> {
    return this.#cache.load(fingerprint, () => this.#read(fingerprint));
  }

  /** The state the card is in at `now` (expiry and day-suspensions applied). */
  static cardStateAt(status: PlatformCardStatus, now: Date): CardState {
    return effectiveState({ status: status.cardStatus, expires_at: status.expiresAt, suspended_until: status.suspendedUntil }, now);
  }

  async #read(fingerprint: string): Promise<PlatformCardStatus | undefined> {
    const row = await this.knex('pki_certificates as pc')
      .join('cards as c', 'c.id', 'pc.card_id')
      .join('cardholders as h', 'h.id', 'c.cardholder_id')
      .where('pc.fingerprint', fingerprint)
      .first(
        'pc.card_id',
        'pc.slot',
        'pc.status as certificate_status',
        'c.status as card_status',
        'c.expires_at',
        'c.suspended_until',
        'h.id as cardholder_id',
        'h.reference',
        'h.given_name',
        'h.family_name',
        'h.kind',
        'h.org_unit',
        'h.status as cardholder_status',
      );
    if (!row) return undefined;
    return {
      fingerprint,
      cardId: row.card_id,
      slot: row.slot,
      certificateStatus: row.certificate_status,
      cardStatus: row.card_status,
      expiresAt: new Date(row.expires_at),
      suspendedUntil: row.suspended_until ? new Date(row.suspended_until) : null,
      cardholder: {
        id: row.cardholder_id,
        reference: row.reference,
        givenName: row.given_name,
        familyName: row.family_name,
        kind: row.kind,
        orgUnit: row.org_unit ?? null,
        active: row.cardholder_status === 'active',
      },
    };
  }
}
