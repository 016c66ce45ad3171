import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { anonymousActor, appendAudit } from '../../../shared/audit/index.js';
import { TesseraError } from '../../../shared/errors/index.js';
import { CURRENT_SCRYPT, hashPassword, needsRehash, verifyPassword } from '../staff/password-hash.js';
import { findStaffById, findStaffByUsername, isValidUsername, toStaffView, type StaffAccountRow, type StaffView } from '../staff/staff-accounts.js';
import { insertSession, purgeExpiredSessions } from './session-store.js';
import { signSessionToken } from './session-tokens.js';
import type { SessionRuntime } from './session-runtime.js';
import { decideSignIn, type SignInDecision } from './sign-in-decision.js';

export interface SignInRequest {
  readonly username: string;
  readonly password: string;
  /** The caller's address, recorded in the audit log. */
  readonly ip?: string | undefined;
}

export interface SignedIn {
  readonly token: string;
  readonly expiresAt: Date;
  readonly staff: StaffView;
}

let dummyHash: Promise<string> | undefined;
/** Hashed once per process with the current parameters: an unknown username costs the same scrypt as a known one. */
const hashForUnknownUsers = () => (dummyHash ??= hashPassword(randomUUID(), CURRENT_SCRYPT));

const invalidCredentials = () => new TesseraError('ERR_INVALID_CREDENTIALS', 'The username or password is wrong');

/**
 * Signs a staff member in. Every failure - unknown username, wrong password, locked, disabled -
 * gives the same ERR_INVALID_CREDENTIALS after the same scrypt work, so the answer never says
 * which usernames exist; the audit log records the real reason for admins.
 * The password is checked before the transaction (scrypt is slow; the row lock is not held for
 * it); the decision is then taken on the locked row, so concurrent failures all count.
 */
export async function signIn(rt: SessionRuntime, request: SignInRequest): Promise<SignedIn> {
  const username = request.username.trim().toLowerCase();
  const account = isValidUsername(username) ? await findStaffByUsername(rt.knex, username) : undefined;
  const passwordMatches = await verifyPassword(request.password, account?.password_hash ?? (await hashForUnknownUsers()));
  const signingKey = await rt.keys.signingKey();
  const now = rt.now();
  const jti = randomUUID();
  // Whole seconds, as the token's `exp` carries it, so expiresAt in the reply and the row match the token.
  const expiresAt = new Date(Math.floor(now.getTime() / 1000) * 1000 + rt.sessionSeconds * 1000);

  const result = await rt.knex.transaction(async (trx) => {
    const row = account ? await findStaffById(trx, account.id, { forUpdate: true }) : undefined;
    if (!row) {
      await appendAudit(trx, {
        actor: anonymousActor,
        action: 'session.login-failure',
        subject: { kind: 'staff', id: null },
        details: { username: username.slice(0, 64), reason: 'unknown-user', ip: request.ip ?? null },
        at: now,
      });
      return undefined;
    }
    // A password reset between the check and the lock makes the check stale: count it as wrong.
    const matches = passwordMatches && row.password_hash === account!.password_hash;
    const decision = decideSignIn(
      { status: row.status, failedAttempts: row.failed_attempts, lockedUntil: row.locked_until && new Date(row.locked_until) },
      matches,
      now,
      rt.lockout,
    );
    await record(trx, row, decision, { now, jti, expiresAt, ip: request.ip });
    return decision.outcome === 'success' ? { ...row, failed_attempts: 0, locked_until: null, last_login_at: now } : undefined;
  });
  if (!result) throw invalidCredentials();

  if (needsRehash(result.password_hash)) await upgradeHash(rt.knex, result, request.password);
  await purgeExpiredSessions(rt.knex, now);
  const token = await signSessionToken(signingKey, { jti, staffId: result.id, username: result.username, roles: result.roles, issuedAt: now, expiresAt });
  return { token, expiresAt, staff: toStaffView(result, now) };
}

async function record(
  trx: Knex.Transaction,
  row: StaffAccountRow,
  decision: SignInDecision,
  at: { now: Date; jti: string; expiresAt: Date; ip: string | undefined },
): Promise<void> {
  const subject = { kind: 'staff', id: row.id };
  const ip = at.ip ?? null;
  if (decision.outcome === 'success') {
    await trx('staff_accounts').where({ id: row.id }).update({ failed_attempts: 0, locked_until: null, last_login_at: at.now });
    await insertSession(trx, { jti: at.jti, staffId: row.id, issuedAt: at.now, expiresAt: at.expiresAt });
    const details = { username: row.username, sessionId: at.jti, expiresAt: at.expiresAt.toISOString(), ip };
    await appendAudit(trx, { actor: { kind: 'staff', id: row.id }, action: 'session.login', subject, details, at: at.now });
    return;
  }
  if (decision.reason === 'wrong-password') {
    await trx('staff_accounts')
      .where({ id: row.id })
      .update({ failed_attempts: decision.next.failedAttempts, locked_until: decision.next.lockedUntil, last_failed_at: at.now });
  }
  await appendAudit(trx, {
    actor: anonymousActor,
    action: 'session.login-failure',
    subject,
    details: { username: row.username, reason: decision.reason, ip },
    at: at.now,
  });
  if (decision.lockedNow) {
    await appendAudit(trx, {
      actor: { kind: 'system', id: 'identity.lockout' },
      action: 'session.lockout',
      subject,
      details: { username: row.username, lockedUntil: decision.next.lockedUntil!.toISOString(), ip },
      at: at.now,
    });
  }
}

/** Re-hash with today's parameters after a successful sign-in; skipped if the password changed meanwhile. */
async function upgradeHash(knex: Knex, row: StaffAccountRow, password: string): Promise<void> {
  const upgraded = await hashPassword(password);
  await knex('staff_accounts').where({ id: row.id, password_hash: row.password_hash }).update({ password_hash: upgraded });
}
