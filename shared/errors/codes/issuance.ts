import type { ErrorDefinitions } from '../define-errors.js';

/**
 * Errors of card issuance and of the desk operations (PIN change and unblock, replace, renew,
 * temporary cards). The state of a card or of the desk is a conflict the operator can resolve
 * (409); a rule the request breaks is 422; a desk reader that is configured but not reachable
 * is a dependency that is unavailable (503).
 */
export const issuanceErrors = {
  ERR_PIN_RULE: { status: 422, title: 'The PIN breaks a PIN rule' },
  ERR_DESK_READER_UNKNOWN: { status: 404, title: 'No desk reader by that name is configured' },
  ERR_DESK_READER_UNAVAILABLE: { status: 503, title: 'The desk reader cannot be reached' },
  ERR_DESK_READER_BUSY: { status: 409, title: 'The desk reader is in use by another request' },
  ERR_DESK_NO_CARD: { status: 409, title: 'There is no card in the desk reader' },
  ERR_CARD_NOT_BLANK: { status: 409, title: 'The card in the desk reader is not a blank card' },
  ERR_ISSUANCE_IN_PROGRESS: { status: 409, title: 'A card is being issued for this cardholder at another desk' },
  ERR_NOT_ISSUING: { status: 409, title: 'The card is not being issued' },
  ERR_CARD_MISMATCH: { status: 409, title: 'The card in the desk reader is not this card' },
  ERR_CARD_DEAD: { status: 409, title: 'The card is locked for good (PUK blocked) and must be replaced' },
  ERR_NO_CARD_TO_COVER: { status: 409, title: 'A temporary card covers an active card; this cardholder has none' },
  ERR_CARD_NOT_SERVICEABLE: { status: 409, title: 'The card is not in a state the desk can work on' },
  ERR_BATCH_INVALID: { status: 422, title: 'The batch file has invalid rows' },
} as const satisfies ErrorDefinitions;

export type IssuanceErrorCode = keyof typeof issuanceErrors;
