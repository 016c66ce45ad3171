import type { StaffStatus } from '../staff/staff-accounts.js';

export interface LockoutPolicy {
  /** Consecutive failures that lock the account. */
  readonly attempts: number;
  /** How long it then stays locked. */
  readonly lockSeconds: number;
}

export interface SignInState {
  readonly status: StaffStatus;
  readonly failedAttempts: number;
  readonly lockedUntil: Date | null;
}

export type FailureReason = 'disabled' | 'locked' | 'wrong-password';

export type SignInDecision =
  | { readonly outcome: 'success'; readonly next: { failedAttempts: 0; lockedUntil: null } }
  | {
      readonly outcome: 'failure';
      readonly reason: FailureReason;
      /** The state to store; unchanged for `disabled` and `locked`. */
      readonly next: { failedAttempts: number; lockedUntil: Date | null };
      /** True when this very failure locked the account. */
      readonly lockedNow: boolean;
    };

export function isLocked(lockedUntil: Date | null, now: Date): boolean {
  return lockedUntil !== null && lockedUntil.getTime() > now.getTime();
}

/**
 * The sign-in rules, as a pure function of the account, whether the password matched, and the
 * time (tests pass their own clock). A disabled or locked account fails whatever the password,
 * and does not count the attempt, so a lock is not extended by an attacker who keeps trying.
 * A failure that reaches `attempts` in a row locks the account for `lockSeconds` and starts the
 * count again; a success clears both.
 */
export function decideSignIn(state: SignInState, passwordMatches: boolean, now: Date, policy: LockoutPolicy): SignInDecision {
  const unchanged = { failedAttempts: state.failedAttempts, lockedUntil: state.lockedUntil };
  if (state.status !== 'active') return { outcome: 'failure', reason: 'disabled', next: unchanged, lockedNow: false };
  if (isLocked(state.lockedUntil, now)) return { outcome: 'failure', reason: 'locked', next: unchanged, lockedNow: false };
  if (passwordMatches) return { outcome: 'success', next: { failedAttempts: 0, lockedUntil: null } };
  const failures = state.failedAttempts + 1;
  if (failures >= policy.attempts) {
    return {
      outcome: 'failure',
      reason: 'wrong-password',
      next: { failedAttempts: 0, lockedUntil: new Date(now.getTime() + policy.lockSeconds * 1000) },
      lockedNow: true,
    };
  }
  return { outcome: 'failure', reason: 'wrong-password', next: { failedAttempts: failures, lockedUntil: null }, lockedNow: false };
}
