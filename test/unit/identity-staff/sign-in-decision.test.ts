import { expect } from 'chai';
import { decideSignIn, type SignInState } from '../../../services/identity/sessions/sign-in-decision.js';

const policy = { attempts: 3, lockSeconds: 600 };
const t0 = new Date('2026-11-21T09:00:00Z');
const at = (seconds: number) => new Date(t0.getTime() + seconds * 1000);
const fresh: SignInState = { status: 'active', failedAttempts: 0, lockedUntil: null };

/** Plays a sequence of attempts against the rules, carrying the stored state forward as the database would. */
function play(attempts: { at: Date; ok: boolean }[], start: SignInState = fresh) {
  let state = start;
  return attempts.map(({ at: when, ok }) => {
    const decision = decideSignIn(state, ok, when, policy);
    state = { ...state, ...decision.next };
    return decision;
  });
}

describe('sign-in lockout (injected clock)', () => {
  it('locks after N consecutive failures, for the configured period', () => {
    const decisions = play([
      { at: at(0), ok: false },
      { at: at(1), ok: false },
      { at: at(2), ok: false },
    ]);
    expect(decisions.map((d) => d.outcome)).to.deep.equal(['failure', 'failure', 'failure']);
    const last = decisions[2]!;
    expect(last.outcome === 'failure' && last.lockedNow).to.equal(true);
    expect(last.next.lockedUntil).to.deep.equal(at(2 + 600));
  });

  it('refuses even the right password while locked, without extending the lock', () => {
    const locked: SignInState = { status: 'active', failedAttempts: 0, lockedUntil: at(600) };
    const decision = decideSignIn(locked, true, at(599), policy);
    expect(decision).to.deep.include({ outcome: 'failure', reason: 'locked', lockedNow: false });
    expect(decision.next.lockedUntil).to.deep.equal(at(600));
  });

  it('lets the right password in once the lock has passed, and clears the state', () => {
    const locked: SignInState = { status: 'active', failedAttempts: 0, lockedUntil: at(600) };
    expect(decideSignIn(locked, true, at(600), policy)).to.deep.equal({ outcome: 'success', next: { failedAttempts: 0, lockedUntil: null } });
  });

  it('counts only consecutive failures: a success resets the count', () => {
    const decisions = play([
      { at: at(0), ok: false },
      { at: at(1), ok: false },
      { at: at(2), ok: true },
      { at: at(3), ok: false },
      { at: at(4), ok: false },
    ]);
    expect(decisions.some((d) => d.outcome === 'failure' && d.lockedNow)).to.equal(false);
    expect(decisions[4]!.next.failedAttempts).to.equal(2);
  });

  it('gives N fresh attempts after a lock expires', () => {
    const decisions = play([
      { at: at(0), ok: false },
      { at: at(1), ok: false },
      { at: at(2), ok: false }, // locks until 602
      { at: at(700), ok: false },
      { at: at(701), ok: false },
    ]);
    expect(decisions[3]).to.deep.include({ reason: 'wrong-password', lockedNow: false });
    expect(decisions[4]!.next).to.deep.equal({ failedAttempts: 2, lockedUntil: null });
  });

  it('refuses a disabled account whatever the password, without counting', () => {
    const disabled: SignInState = { status: 'disabled', failedAttempts: 1, lockedUntil: null };
    expect(decideSignIn(disabled, true, t0, policy)).to.deep.include({ outcome: 'failure', reason: 'disabled' });
    expect(decideSignIn(disabled, false, t0, policy).next.failedAttempts).to.equal(1);
  });
});
