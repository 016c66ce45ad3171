import type { ErrorDefinitions } from '../define-errors.js';

/**
 * Errors of the card layer: status words a PIV card answered (SP 800-73-4 Part 2 §3), host-side
 * PIN rules, and the reader transport. A card that misbehaves is an upstream fault (502); a card
 * or reader that is not there is a dependency that is unavailable (503); a person's wrong PIN is 422.
 */
export const cardErrors = {
  ERR_CARD_WRONG_PIN: { status: 422, title: 'The PIN is wrong' },
  ERR_CARD_PIN_BLOCKED: { status: 423, title: 'The PIN is blocked' },
  ERR_CARD_WRONG_PUK: { status: 422, title: 'The PUK is wrong' },
  ERR_CARD_PUK_BLOCKED: { status: 423, title: 'The PUK is blocked' },
  ERR_CARD_PIN_FORMAT: { status: 422, title: 'A PIN or PUK must be 6 to 8 digits' },
  ERR_CARD_SECURITY_STATUS: { status: 403, title: 'The card refused: security status not satisfied' },
  ERR_CARD_MGMT_KEY_REJECTED: { status: 403, title: 'The card rejected the management key' },
  ERR_CARD_MGMT_AUTH_MISMATCH: { status: 502, title: 'The card failed to prove it holds the management key' },
  ERR_CARD_NOT_FOUND: { status: 404, title: 'The card holds no such object' },
  ERR_CARD_KEY_NOT_FOUND: { status: 404, title: 'The card holds no such key' },
  ERR_CARD_WRONG_DATA: { status: 422, title: 'The card rejected the command data' },
  ERR_CARD_CONDITIONS_NOT_SATISFIED: { status: 409, title: 'The card refused: conditions of use not satisfied' },
  ERR_CARD_UNSUPPORTED: { status: 501, title: 'The card does not support this command' },
  ERR_CARD_PROTOCOL: { status: 502, title: 'The card answered outside the protocol' },
  ERR_CARD_STATUS: { status: 502, title: 'The card answered with an unexpected status word' },
  ERR_CARD_REMOVED: { status: 409, title: 'The card was removed' },
  ERR_CARD_READER: { status: 503, title: 'The card reader failed' },
  ERR_CARD_READER_NOT_FOUND: { status: 404, title: 'No such card reader' },
  ERR_CARD_PCSC_UNAVAILABLE: { status: 503, title: 'PC/SC is not available on this machine' },
} as const satisfies ErrorDefinitions;

export type CardErrorCode = keyof typeof cardErrors;
