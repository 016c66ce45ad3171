import { appendAudit } from '../../../shared/audit/index.js';
import { TesseraError } from '../../../shared/errors/index.js';
import { hashPassword, verifyPassword } from '../staff/password-hash.js';
import { findStaffById } from '../staff/staff-accounts.js';
import { checkPassword } from '../staff/staff-input.js';
import { revokeSessionsOf } from './session-store.js';
import type { SessionClaims } from './session-tokens.js';
import type { SessionRuntime } from './session-runtime.js';
import { decideSignIn } from './sign-in-decision.js';

/**
 * A signed-in staff member changes their own password, proving the current one. A wrong
 * current password counts towards the lockout like a failed sign-in (a stolen session must not
 * become a free password-guessing oracle). On success every other session of the account is
 * revoked; this one stays.
 */
export async function changeOwnPassword(
  rt: SessionRuntime,
  session: SessionClaims,
  passwords: { currentPassword: string; newPassword: string },
): Promise<void> {
  const account = await findStaffById(rt.knex, session.staffId);
  if (!account) throw new TesseraError('ERR_UNAUTHENTICATED', 'Unknown session; sign in again');
  const matches = await verifyPassword(passwords.currentPassword, account.password_hash);
  if (matches) checkPassword(passwords.newPassword, account.username);
  const newHash = matches ? await hashPassword(passwords.newPassword) : undefined;
  const now = rt.now();
  const subject = { kind: 'staff', id: account.id };
  const actor = { kind: 'staff' as const, id: account.id };

  const failure = await rt.knex.transaction(async (trx) => {
    const row = await findStaffById(trx, account.id, { forUpdate: true });
    if (!row) return 'gone' as const;
    const decision = decideSignIn(
      { status: row.status, failedAttempts: row.failed_attempts, lockedUntil: row.locked_until && new Date(row.locked_until) },
      matches && row.password_hash === account.password_hash,
      now,
      rt.lockout,
    );
    if (decision.outcome === 'failure') {
      if (decision.reason === 'wrong-password') {
        await trx('staff_accounts')
          .where({ id: row.id })
          .update({ failed_attempts: decision.next.failedAttempts, locked_until: decision.next.lockedUntil, last_failed_at: now });
      }
      await appendAudit(trx, { actor, action: 'staff.password-change-failure', subject, details: { username: row.username, reason: decision.reason }, at: now });
      if (decision.lockedNow) {
        const details = { username: row.username, lockedUntil: decision.next.lockedUntil!.toISOString() };
        await appendAudit(trx, { actor: { kind: 'system', id: 'identity.lockout' }, action: 'session.lockout', subject, details, at: now });
      }
      return decision.reason;
    }
    await trx('staff_accounts')
      .where({ id: row.id })
      .update({ password_hash: newHash, password_changed_at: now, failed_attempts: 0, locked_until: null, updated_at: now });
    const revoked = await revokeSessionsOf(trx, row.id, 'password-change', now, session.jti);
    await appendAudit(trx, { actor, action: 'staff.password-change', subject, details: { username: row.username, otherSessionsRevoked: revoked }, at: now });
    return undefined;
  });
  if (failure === 'gone') throw new TesseraError('ERR_UNAUTHENTICATED', 'Unknown session; sign in again');
  if (failure === 'locked') throw new TesseraError('ERR_STAFF_CURRENT_PASSWORD_WRONG', 'The account is locked after repeated wrong passwords; try again later');
  if (failure) throw new TesseraError('ERR_STAFF_CURRENT_PASSWORD_WRONG');
}
