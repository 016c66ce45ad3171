/**
 * What the `issuance` column of a card records: every step the card has done, so an issuance
 * interrupted at any point (card pulled out, desk PC off, platform restarted) resumes where it
 * stopped or starts clean. Never secrets: the management key and PUK are sealed in their own
 * columns, and the PIN is never stored at all.
 */
export type IssuancePurpose = 'new' | 'replace' | 'renew' | 'temporary';

/** The steps in the order the card does them (docs/issuance.md). */
export const ISSUANCE_STEPS = [
  'identified',
  'management-key',
  'key-9a',
  'key-9e',
  'certificate-9a',
  'certificate-9e',
  'chuid',
  'puk',
  'pin',
  'self-test',
] as const;
export type IssuanceStep = (typeof ISSUANCE_STEPS)[number];

export type CardSlotName = '9A' | '9E';
export type DeskManagementAlgorithm = 'AES256' | '3DES';

export interface IssuanceLease {
  /** The attempt holding the record; another attempt waits until it ends or the lease runs out. */
  readonly token: string;
  readonly until: string;
  readonly deskReader: string;
}

export interface IssuanceProgress {
  readonly purpose: IssuancePurpose;
  /** Activate at once on completion (hand-over at the desk) instead of leaving the card issued. */
  readonly activate: boolean;
  readonly startedAt: string;
  readonly attempts: number;
  /** The GUID the blank card had when first seen: how a retry recognises the same card. */
  readonly blankGuid: string | null;
  /** For a temporary card: the card it stands in for, suspended until the same midnight. */
  readonly covers?: string;
  readonly managementKeyAlgorithm?: DeskManagementAlgorithm;
  /** SubjectPublicKeyInfo (base64) of the key the card generated in each slot. */
  readonly keys: Partial<Record<CardSlotName, string>>;
  /** Serial of the certificate issued for each slot (issued may be before written). */
  readonly certificates: Partial<Record<CardSlotName, string>>;
  /** The certificates themselves (DER, base64; public), to write them again on a retry. */
  readonly certificateDer: Partial<Record<CardSlotName, string>>;
  /** Step -> when it was done. */
  readonly done: Partial<Record<IssuanceStep, string>>;
  readonly lease?: IssuanceLease;
  readonly completedAt?: string;
  /** Set when the card's PUK is blocked: the card can never be unblocked again. */
  readonly dead?: { readonly at: string; readonly reason: 'puk-blocked' };
}

export function parseProgress(value: unknown): IssuanceProgress {
  const raw = (typeof value === 'string' ? JSON.parse(value) : value ?? {}) as Partial<IssuanceProgress>;
  return {
    purpose: raw.purpose ?? 'new',
    activate: raw.activate ?? false,
    startedAt: raw.startedAt ?? new Date(0).toISOString(),
    attempts: raw.attempts ?? 0,
    blankGuid: raw.blankGuid ?? null,
    keys: raw.keys ?? {},
    certificates: raw.certificates ?? {},
    certificateDer: raw.certificateDer ?? {},
    done: raw.done ?? {},
    ...(raw.covers ? { covers: raw.covers } : {}),
    ...(raw.managementKeyAlgorithm ? { managementKeyAlgorithm: raw.managementKeyAlgorithm } : {}),
    ...(raw.lease ? { lease: raw.lease } : {}),
    ...(raw.completedAt ? { completedAt: raw.completedAt } : {}),
    ...(raw.dead ? { dead: raw.dead } : {}),
  };
}

export function leaseIsLive(progress: IssuanceProgress, now: Date): boolean {
  return progress.lease !== undefined && new Date(progress.lease.until).getTime() > now.getTime();
}

/** The progress as a desk UI shows it: steps done and what comes next. */
export function progressSummary(progress: IssuanceProgress) {
  const next = ISSUANCE_STEPS.find((step) => progress.done[step] === undefined) ?? null;
  return {
    purpose: progress.purpose,
    attempts: progress.attempts,
    startedAt: progress.startedAt,
    stepsDone: ISSUANCE_STEPS.filter((step) => progress.done[step] !== undefined),
    nextStep: progress.completedAt ? null : next,
    inProgressAt: progress.lease?.deskReader ?? null,
    certificates: progress.certificates,
    completedAt: progress.completedAt ?? null,
  };
}
