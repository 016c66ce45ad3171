import type { ErrorDefinitions } from '../define-errors.js';

/** Errors of the card management system: cardholder records and the card lifecycle. */
export const cardholderErrors = {
  ERR_CARDHOLDER_NOT_FOUND: { status: 404, title: 'No such cardholder' },
  ERR_CARDHOLDER_REFERENCE_TAKEN: { status: 409, title: 'Another cardholder already has this external reference' },
  ERR_CARDHOLDER_ERASED: { status: 410, title: 'This cardholder has been erased' },
  ERR_PHOTO_INVALID: { status: 422, title: 'The photo must be a JPEG or PNG of at most 256 KiB' },
  ERR_CARD_RECORD_NOT_FOUND: { status: 404, title: 'No such card' },
  ERR_ILLEGAL_CARD_TRANSITION: { status: 409, title: 'The card cannot make that change from its current state' },
  ERR_ACTIVE_CARD_EXISTS: { status: 409, title: 'The cardholder already has a card in use' },
  ERR_CARD_EXPIRY_INVALID: { status: 422, title: 'The card expiry is outside what policy allows' },
  ERR_RENEWAL_TOO_EARLY: { status: 409, title: 'The card is not yet within its renewal window' },
} as const satisfies ErrorDefinitions;
