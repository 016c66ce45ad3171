import { appendAudit } from '../../../shared/audit/index.js';
import { TesseraError } from '../../../shared/errors/index.js';
import { revokeSessionsOf } from '../sessions/session-store.js';
import { guardLastAdmin, lockAdminSet } from './last-admin-guard.js';
import { findStaffById, toStaffView, type StaffView } from './staff-accounts.js';
import type { StaffCommandContext } from './staff-input.js';

/**
 * Disables an account: its live sessions are revoked in the same transaction, and the staff
 * authenticator refuses any token of a disabled account anyway. Disabling oneself, or the last
 * active admin, is refused. Disabling a disabled account changes nothing and audits nothing.
 */
export async function disableStaff(ctx: StaffCommandContext, staffId: string): Promise<StaffView> {
  if (ctx.actor.kind === 'staff' && ctx.actor.id === staffId) {
    throw new TesseraError('ERR_STAFF_SELF_DISABLE', 'You cannot disable your own account; ask another admin');
  }
  return ctx.knex.transaction(async (trx) => {
    await lockAdminSet(trx);
    const before = await findStaffById(trx, staffId, { forUpdate: true });
    if (!before) throw new TesseraError('ERR_STAFF_NOT_FOUND', `No staff account ${staffId}`);
    if (before.status === 'disabled') return toStaffView(before, ctx.now);
    if (before.roles.includes('admin')) await guardLastAdmin(trx, staffId);
    await trx('staff_accounts').where({ id: staffId }).update({ status: 'disabled', updated_at: ctx.now });
    const revoked = await revokeSessionsOf(trx, staffId, 'disabled', ctx.now);
    await appendAudit(trx, {
      actor: ctx.actor,
      action: 'staff.disable',
      subject: { kind: 'staff', id: staffId },
      details: { username: before.username, sessionsRevoked: revoked },
      at: ctx.now,
    });
    return toStaffView({ ...before, status: 'disabled', updated_at: ctx.now }, ctx.now);
  });
}

/**
 * Enables an account and clears any sign-in lockout (so `enable` is also how an admin unlocks
 * a locked account early). Enabling an active, unlocked account changes nothing.
 */
export async function enableStaff(ctx: StaffCommandContext, staffId: string): Promise<StaffView> {
  return ctx.knex.transaction(async (trx) => {
    const before = await findStaffById(trx, staffId, { forUpdate: true });
    if (!before) throw new TesseraError('ERR_STAFF_NOT_FOUND', `No staff account ${staffId}`);
    const locked = before.locked_until !== null && new Date(before.locked_until) > ctx.now;
    if (before.status === 'active' && !locked && before.failed_attempts === 0) return toStaffView(before, ctx.now);
    const after = { ...before, status: 'active' as const, failed_attempts: 0, locked_until: null, updated_at: ctx.now };
    await trx('staff_accounts').where({ id: staffId }).update({ status: 'active', failed_attempts: 0, locked_until: null, updated_at: ctx.now });
    await appendAudit(trx, {
      actor: ctx.actor,
      action: 'staff.enable',
      subject: { kind: 'staff', id: staffId },
      details: { username: before.username, wasDisabled: before.status === 'disabled', wasLocked: locked },
      at: ctx.now,
    });
    return toStaffView(after, ctx.now);
  });
}
