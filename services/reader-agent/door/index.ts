/** The reader agent's door role (docs/modules/access.md, "Door controller"). */
export { DoorController, type DoorDecision, type DoorControllerOptions } from './door-controller.js';
export { SimulatedLock, SimulatedDoorSensor, type LockOutput, type DoorSensor } from './door-hardware.js';
export { DoorWatch, type DoorWatchEvent } from './door-watch.js';
export { DoorPlatform } from './door-platform.js';
export { OfflineCache, type PendingDoorEvent } from './offline-cache.js';
export { checkCardLocally, type LocalCardCheck } from './local-card-check.js';
export { DoorRole, type DoorRoleOptions } from './door-role.js';
