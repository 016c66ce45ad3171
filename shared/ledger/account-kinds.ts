import type { AccountKind } from './types.js';

/**
 * Default floor per kind: money held for someone (a purse, a budget, a provider's or a till's
 * takings) must not go negative; funding and suspense are the ledger's other side and may.
 */
export const defaultFloors: Readonly<Record<AccountKind, number | null>> = {
  purse: 0,
  budget: 0,
  provider: 0,
  till_takings: 0,
  funding: null,
  suspense: null,
};

export const accountKinds = Object.keys(defaultFloors) as AccountKind[];

export function isAccountKind(value: unknown): value is AccountKind {
  return typeof value === 'string' && Object.hasOwn(defaultFloors, value);
}
