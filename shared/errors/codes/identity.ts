import type { ErrorDefinitions } from '../define-errors.js';

/**
 * Errors of the identity service's staff, sessions and audit rooms. A failed sign-in is always
 * ERR_INVALID_CREDENTIALS, whatever the reason (unknown user, wrong password, locked, disabled),
 * so the answer never tells an attacker which usernames exist.
 */
export const identityErrors = {
  ERR_INVALID_CREDENTIALS: { status: 401, title: 'The username or password is wrong' },
  ERR_STAFF_NOT_FOUND: { status: 404, title: 'No such staff account' },
  ERR_STAFF_USERNAME_TAKEN: { status: 409, title: 'That username is already in use' },
  ERR_STAFF_PASSWORD_RULES: { status: 422, title: 'The password does not meet the password rules' },
  ERR_STAFF_CURRENT_PASSWORD_WRONG: { status: 422, title: 'The current password is wrong' },
  ERR_STAFF_LAST_ADMIN: { status: 409, title: 'The last active admin cannot be disabled or lose the admin role' },
  ERR_STAFF_SELF_DISABLE: { status: 409, title: 'Staff cannot disable their own account' },
} as const satisfies ErrorDefinitions;

export type IdentityErrorCode = keyof typeof identityErrors;
