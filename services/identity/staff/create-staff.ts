import { randomUUID } from 'node:crypto';
import { appendAudit } from '../../../shared/audit/index.js';
import { TesseraError } from '../../../shared/errors/index.js';
import { hashPassword } from './password-hash.js';
import { generatePassword } from './password-rules.js';
import { toStaffView, type StaffAccountRow, type StaffView } from './staff-accounts.js';
import { checkPassword, checkRoles, checkUsername, isUniqueViolation, type StaffCommandContext } from './staff-input.js';

export interface CreateStaffInput {
  readonly username: string;
  readonly displayName?: string;
  readonly roles: readonly string[];
  /** Omit to generate one; it is returned once and never stored in the clear. */
  readonly password?: string;
}

export interface CreatedStaff {
  readonly staff: StaffView;
  /** Only when the password was generated: show it once to the person creating the account. */
  readonly generatedPassword?: string;
}

/** Creates an active staff account and audits `staff.create` in the same transaction. */
export async function createStaff(ctx: StaffCommandContext, input: CreateStaffInput): Promise<CreatedStaff> {
  const username = checkUsername(input.username.toLowerCase());
  const roles = checkRoles(input.roles);
  const generatedPassword = input.password === undefined ? generatePassword() : undefined;
  const password = input.password ?? generatedPassword!;
  checkPassword(password, username);
  const passwordHash = await hashPassword(password);
  const row: StaffAccountRow = {
    id: randomUUID(),
    username,
    display_name: input.displayName?.trim() || username,
    roles,
    status: 'active',
    password_hash: passwordHash,
    password_changed_at: ctx.now,
    failed_attempts: 0,
    last_failed_at: null,
    locked_until: null,
    last_login_at: null,
    created_at: ctx.now,
    updated_at: ctx.now,
  };
  try {
    await ctx.knex.transaction(async (trx) => {
      await trx('staff_accounts').insert(row);
      await appendAudit(trx, {
        actor: ctx.actor,
        action: 'staff.create',
        subject: { kind: 'staff', id: row.id },
        details: { username, displayName: row.display_name, roles, generated: generatedPassword !== undefined },
        at: ctx.now,
      });
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw new TesseraError('ERR_STAFF_USERNAME_TAKEN', `The username '${username}' is already in use`);
    throw error;
  }
  return { staff: toStaffView(row, ctx.now), ...(generatedPassword ? { generatedPassword } : {}) };
}
