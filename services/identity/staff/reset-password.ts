import { appendAudit } from '../../../shared/audit/index.js';
import { TesseraError } from '../../../shared/errors/index.js';
import { revokeSessionsOf } from '../sessions/session-store.js';
import { hashPassword } from './password-hash.js';
import { generatePassword } from './password-rules.js';
import { findStaffById, toStaffView, type StaffView } from './staff-accounts.js';
import { checkPassword, type StaffCommandContext } from './staff-input.js';

export interface PasswordResetResult {
  readonly staff: StaffView;
  /** Only when the password was generated: show it once. */
  readonly generatedPassword?: string;
}

/**
 * An admin (or an operator at the CLI) sets a new password for someone else. Every live
 * session of that account is revoked and any lockout cleared. Staff change their own password
 * through the session (changeOwnPassword), which asks for the current one.
 */
export async function resetStaffPassword(ctx: StaffCommandContext, staffId: string, newPassword?: string): Promise<PasswordResetResult> {
  const existing = await findStaffById(ctx.knex, staffId);
  if (!existing) throw new TesseraError('ERR_STAFF_NOT_FOUND', `No staff account ${staffId}`);
  const generatedPassword = newPassword === undefined ? generatePassword() : undefined;
  const password = newPassword ?? generatedPassword!;
  checkPassword(password, existing.username);
  const passwordHash = await hashPassword(password);
  const staff = await ctx.knex.transaction(async (trx) => {
    const before = await findStaffById(trx, staffId, { forUpdate: true });
    if (!before) throw new TesseraError('ERR_STAFF_NOT_FOUND', `No staff account ${staffId}`);
    const after = { ...before, password_hash: passwordHash, password_changed_at: ctx.now, failed_attempts: 0, locked_until: null, updated_at: ctx.now };
    await trx('staff_accounts')
      .where({ id: staffId })
      .update({ password_hash: passwordHash, password_changed_at: ctx.now, failed_attempts: 0, locked_until: null, updated_at: ctx.now });
    const revoked = await revokeSessionsOf(trx, staffId, 'password-reset', ctx.now);
    await appendAudit(trx, {
      actor: ctx.actor,
      action: 'staff.password-reset',
      subject: { kind: 'staff', id: staffId },
      details: { username: before.username, generated: generatedPassword !== undefined, sessionsRevoked: revoked },
      at: ctx.now,
    });
    return toStaffView(after, ctx.now);
  });
  return { staff, ...(generatedPassword ? { generatedPassword } : {}) };
}
