/**
 * The access module's door. Besides the TapModule it exports what a door controller (the reader
 * agent's door role) needs to decide offline with the very same rules: the allow-list format,
 * its verification and the offline decision.
 */
export { accessModule } from './access-module.js';
export { decideDoor, presenceAfter, DENY_REASONS, type DoorAccessFacts, type DoorVerdict, type DenyReason, type Presence, type Direction } from './rules/door-rules.js';
export { ALLOW_LIST_TYPE, ALLOW_LIST_ALGORITHM, type AllowList } from './offline/allow-list-format.js';
export { verifyAllowList } from './offline/verify-allow-list.js';
export { decideOffline, type LocallyAuthenticatedCard, type OfflineVerdict } from './offline/decide-offline.js';
