import type { ErrorDefinitions } from '../define-errors.js';

/**
 * Errors of the auth service: reader credentials, the tap challenge, module registration,
 * trust anchors and the desk relay. A tap that is refused on its merits is not an error: it is
 * a `denied` decision with a reason code (docs/tap-protocol.md). These codes are for requests
 * that cannot become a decision at all (no credential, a suspended reader, a flood), and for
 * the platform refusing to start with a broken module set.
 */
export const authErrors = {
  ERR_READER_CREDENTIAL_INVALID: { status: 401, title: 'The reader credential is missing, unknown or wrong' },
  ERR_READER_SUSPENDED: { status: 403, title: 'This reader is suspended' },
  ERR_READER_REVOKED: { status: 401, title: 'This reader has been revoked' },
  ERR_READER_NOT_FOUND: { status: 404, title: 'No such reader' },
  ERR_READER_NAME_TAKEN: { status: 409, title: 'A reader with this name exists' },
  ERR_READER_THROTTLED: { status: 429, title: 'This reader is sending too many requests' },
  ERR_READER_STATUS: { status: 409, title: 'The reader is not in a state that allows this' },
  ERR_TAP_PURPOSE_UNKNOWN: { status: 422, title: 'No module decides this purpose' },
  ERR_TAP_PURPOSE_NOT_FOR_READER: { status: 403, title: 'This reader does not serve this purpose' },
  ERR_TAP_TARGET_MISMATCH: { status: 403, title: 'This reader is registered for another target' },
  ERR_TAP_NOT_FOUND: { status: 404, title: 'No such tap' },
  ERR_MODULE_INVALID: { status: 500, title: 'A module does not meet the module contract' },
  ERR_MODULE_DUPLICATE_PURPOSE: { status: 500, title: 'Two modules declare the same purpose' },
  ERR_MODULE_MISSING_DEPENDENCY: { status: 500, title: 'A module depends on a module that is not installed or is disabled' },
  ERR_TRUST_ANCHOR_NOT_FOUND: { status: 404, title: 'No such trust anchor' },
  ERR_TRUST_ANCHOR_INVALID: { status: 422, title: 'The certificate cannot be a trust anchor' },
  ERR_TRUST_ANCHOR_EXISTS: { status: 409, title: 'This certificate is already a trust anchor' },
  ERR_TRUST_ANCHOR_CRL_UNAVAILABLE: { status: 502, title: 'The trust anchor revocation list cannot be fetched or is not valid' },
  ERR_RELAY_NOT_A_DESK: { status: 403, title: 'Only a desk reader relays card commands' },
  ERR_RELAY_DESK_OFFLINE: { status: 503, title: 'The desk reader agent is not connected' },
  ERR_RELAY_TIMEOUT: { status: 504, title: 'The desk reader did not answer in time' },
  ERR_RELAY_EXCHANGE_NOT_FOUND: { status: 404, title: 'No such pending card command' },
} as const satisfies ErrorDefinitions;

export type AuthErrorCode = keyof typeof authErrors;
