import { TesseraError } from '../../../shared/errors/index.js';
import type { CardholderKind } from '../cardholders/index.js';

const DAY = 86_400_000;

/**
 * How long a card lasts, by kind of cardholder. FIPS 201-3 §2.8 caps a PIV card at six years;
 * a visitor's card covers a visit, not a career.
 */
export interface ValidityPolicy {
  /** Used when the desk names no expiry. */
  readonly defaultDays: number;
  /** The latest expiry the desk may choose. */
  readonly maxDays: number;
}

export const VALIDITY_POLICY: Readonly<Record<CardholderKind, ValidityPolicy>> = {
  staff: { defaultDays: 5 * 365, maxDays: 6 * 365 },
  pupil: { defaultDays: 5 * 365, maxDays: 6 * 365 },
  resident: { defaultDays: 5 * 365, maxDays: 6 * 365 },
  care_recipient: { defaultDays: 3 * 365, maxDays: 6 * 365 },
  visitor: { defaultDays: 30, maxDays: 90 },
};

/** A card must outlive its hand-over by at least this much, or it is not worth issuing. */
export const MIN_VALIDITY_MS = DAY;

/** The card's expiry: the request's, checked against the policy, or the policy's default. */
export function cardExpiry(kind: CardholderKind, requested: string | undefined, now: Date): Date {
  const policy = VALIDITY_POLICY[kind];
  if (requested === undefined) return new Date(now.getTime() + policy.defaultDays * DAY);
  const expiry = new Date(requested);
  const latest = new Date(now.getTime() + policy.maxDays * DAY);
  if (Number.isNaN(expiry.getTime()) || expiry.getTime() < now.getTime() + MIN_VALIDITY_MS || expiry.getTime() > latest.getTime()) {
    throw new TesseraError('ERR_CARD_EXPIRY_INVALID', `A ${kind} card expires between one day and ${policy.maxDays} days from now (by ${latest.toISOString()})`, {
      field: 'expiresAt',
      latest: latest.toISOString(),
    });
  }
  return expiry;
}

/** Renewal is allowed only within the window before expiry (TESSERA_RENEWAL_WINDOW_DAYS). */
export function assertRenewable(expiresAt: Date, now: Date, windowDays: number): void {
  const opens = new Date(expiresAt.getTime() - windowDays * DAY);
  if (now.getTime() < opens.getTime()) {
    throw new TesseraError('ERR_RENEWAL_TOO_EARLY', `The card may be renewed from ${opens.toISOString()} (${windowDays} days before it expires)`, {
      renewableFrom: opens.toISOString(),
    });
  }
}
