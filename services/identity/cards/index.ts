export { mountCardRoutes } from './card-routes.js';
export * from './card-lifecycle.js';
export { applyCardAction, getCard, findCard, cardsOfCardholder, liveCardsOf, CARD_STATUS_CHANNEL, type LifecycleChange } from './card-store.js';
export { toCardRecord, effectiveState, cardResponseSchema, type CardRecord, type CardKind } from './card-record.js';
export { withoutCertificates, type CardCertificateHooks } from './card-certificate-hooks.js';
export { staffActor } from './staff-actor.js';
