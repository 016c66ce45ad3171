import type { Knex } from 'knex';
import type { AuditActor } from '../../../shared/audit/index.js';
import { TesseraError } from '../../../shared/errors/index.js';
import { isStaffRole, STAFF_ROLES, type StaffRole } from '../roles.js';
import { passwordProblems } from './password-rules.js';
import { isValidUsername, USERNAME_PATTERN } from './staff-accounts.js';

/** Who is acting, on which database, at what time: every staff operation takes one. */
export interface StaffCommandContext {
  readonly knex: Knex;
  readonly actor: AuditActor;
  readonly now: Date;
}

/**
 * The API's schemas check these already; the operations check them again because the CLI
 * reaches them without a schema.
 */
export function checkUsername(username: string): string {
  if (!isValidUsername(username)) {
    throw new TesseraError('ERR_VALIDATION', `username must match ${USERNAME_PATTERN}`, {
      errors: [{ in: 'body', pointer: '/username', message: `must match ${USERNAME_PATTERN}` }],
    });
  }
  return username;
}

export function checkRoles(roles: readonly string[]): StaffRole[] {
  const unknown = roles.filter((role) => !isStaffRole(role));
  if (unknown.length > 0 || roles.length === 0) {
    const message = roles.length === 0 ? 'at least one role is required' : `unknown role(s) ${unknown.join(', ')}; known: ${STAFF_ROLES.join(', ')}`;
    throw new TesseraError('ERR_VALIDATION', message, { errors: [{ in: 'body', pointer: '/roles', message }] });
  }
  return [...new Set(roles as StaffRole[])];
}

export function checkPassword(password: string, username: string): void {
  const problems = passwordProblems(password, username);
  if (problems.length > 0) {
    throw new TesseraError('ERR_STAFF_PASSWORD_RULES', `The password ${problems.join(' and ')}`, { problems });
  }
}

/** PostgreSQL unique_violation, as pg and PGlite both report it. */
export function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === '23505';
}
