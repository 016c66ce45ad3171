/**
 * Card issuance and the desk operations (issue 4): a blank card in a desk reader becomes a
 * cardholder's card; PIN change and unblock, replace, renew and temporary cards. The identity
 * service mounts `issuancePart`; the CLI and the benchmark call `issueCard` directly.
 */
export { issuancePart, type IssuancePartOptions } from './issuance-part.js';
export { issueCard, type IssuedCard } from './issue-card.js';
export type { IssuanceRequest } from './begin-issuance.js';
export { changePinAtDesk, unblockPinAtDesk } from './desk-pin.js';
export { issuanceDepsFor, type IssuanceDeps } from './issuance-deps.js';
export { assertPinRules, brokenPinRule, generatePin, PIN_RULES, type PinRule } from './pin-rules.js';
export { VALIDITY_POLICY, cardExpiry } from './issuance-policy.js';
export { nextMidnight, startOfLocalDay, localDateString } from '../../../shared/time/zoned-time.js';
export { ISSUANCE_STEPS, parseProgress, type IssuanceProgress, type IssuanceStep } from './issuance-progress.js';
export { FACTORY_PIN, FACTORY_PUK } from './card-probe.js';
export { DEMO_CARD_PIN } from './demo-issuance.js';
export * from './desk-readers/index.js';
