import { appendAudit } from '../../../shared/audit/index.js';
import { TesseraError } from '../../../shared/errors/index.js';
import { guardLastAdmin, lockAdminSet } from './last-admin-guard.js';
import { findStaffById, toStaffView, type StaffView } from './staff-accounts.js';
import { checkRoles, type StaffCommandContext } from './staff-input.js';

export interface UpdateStaffInput {
  readonly displayName?: string;
  readonly roles?: readonly string[];
}

const sameRoles = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((role) => b.includes(role));

/**
 * Changes display name and/or roles; audits `staff.update` with each field's before and after.
 * Role changes take effect on the very next request, because the staff authenticator reads
 * roles from the account, not from the token. Nothing changed: nothing audited.
 */
export async function updateStaff(ctx: StaffCommandContext, staffId: string, input: UpdateStaffInput): Promise<StaffView> {
  const roles = input.roles === undefined ? undefined : checkRoles(input.roles);
  const displayName = input.displayName?.trim();
  if (displayName === '') throw new TesseraError('ERR_VALIDATION', 'displayName must not be blank');
  return ctx.knex.transaction(async (trx) => {
    await lockAdminSet(trx);
    const before = await findStaffById(trx, staffId, { forUpdate: true });
    if (!before) throw new TesseraError('ERR_STAFF_NOT_FOUND', `No staff account ${staffId}`);
    const changes: Record<string, { from: unknown; to: unknown }> = {};
    if (displayName !== undefined && displayName !== before.display_name) changes.displayName = { from: before.display_name, to: displayName };
    if (roles !== undefined && !sameRoles(roles, before.roles)) {
      if (before.roles.includes('admin') && !roles.includes('admin')) await guardLastAdmin(trx, staffId);
      changes.roles = { from: before.roles, to: roles };
    }
    if (Object.keys(changes).length === 0) return toStaffView(before, ctx.now);
    const after = { ...before, display_name: displayName ?? before.display_name, roles: roles ?? before.roles, updated_at: ctx.now };
    await trx('staff_accounts').where({ id: staffId }).update({ display_name: after.display_name, roles: after.roles, updated_at: ctx.now });
    await appendAudit(trx, {
      actor: ctx.actor,
      action: 'staff.update',
      subject: { kind: 'staff', id: staffId },
      details: { username: before.username, changes },
      at: ctx.now,
    });
    return toStaffView(after, ctx.now);
  });
}
