import type { ErrorDefinitions } from '../define-errors.js';

/**
 * Errors of the access module (services/modules/access). A door that stays shut is not an
 * error: it is a `denied` decision with a reason (docs/modules/access.md). These codes are for
 * management requests that cannot be carried out.
 */
export const accessErrors = {
  ERR_ACCESS_NOT_FOUND: { status: 404, title: 'No such site, zone, door, group, schedule or alarm' },
  ERR_ACCESS_NAME_TAKEN: { status: 409, title: 'The name is already used' },
  ERR_ACCESS_READER_BOUND: { status: 409, title: 'This reader already controls a door' },
  ERR_ACCESS_IN_USE: { status: 409, title: 'Other records still refer to this one' },
  ERR_ACCESS_INVALID: { status: 422, title: 'The request contradicts itself (times, scopes or references)' },
  ERR_ACCESS_LOCKDOWN_ACTIVE: { status: 409, title: 'This site or zone is already locked down' },
  ERR_ACCESS_NO_LOCKDOWN: { status: 409, title: 'This site or zone is not locked down' },
  ERR_ACCESS_NOT_A_DOOR_READER: { status: 403, title: 'This reader controls no door' },
  ERR_ACCESS_SIGNING_UNAVAILABLE: { status: 503, title: 'The allow-list signing key cannot be used (no secrets box)' },
} as const satisfies ErrorDefinitions;
export type AccessErrorCode = keyof typeof accessErrors;
