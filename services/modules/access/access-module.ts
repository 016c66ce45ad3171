import { fileURLToPath } from 'node:url';
import type { TapModule } from '../../../shared/modules/index.js';
import { decideDoorOpen } from './decide/decide-door-open.js';
import { seedAccessDemo } from './demo/access-demo.js';
import { mountAllowListRoutes } from './routes/allow-list-routes.js';
import { mountEventRoutes } from './routes/event-routes.js';
import { mountGroupRoutes } from './routes/group-routes.js';
import { mountLockdownRoutes } from './routes/lockdown-routes.js';
import { mountPlaceRoutes } from './routes/place-routes.js';
import { mountScheduleRoutes } from './routes/schedule-routes.js';

/**
 * Building access (docs/modules/access.md): sites, zones and doors bound to readers; access
 * groups with weekly schedules, holidays and temporary memberships; lockdown with override
 * groups; anti-passback; door events and alarms; signed offline allow-lists for controllers.
 */
export const accessModule: TapModule = {
  name: 'access',
  description: 'Doors: who may open which door when, lockdown, anti-passback, door alarms, offline allow-lists',
  purposes: {
    'door.open': {
      description: 'Open a door with the card alone (PIV Card Authentication key, slot 9E)',
      minimumAssurance: 'card',
      timeBudgetMs: 500,
      maxPayloadBytes: 0,
    },
    // The challenge names the key slot from the purpose's minimum assurance, so a door or zone
    // that needs card and PIN has its reader ask for this purpose (slot 9A, the card checks the PIN).
    'door.open-pin': {
      description: 'Open a door that requires card and PIN',
      minimumAssurance: 'card+pin',
      timeBudgetMs: 500,
      maxPayloadBytes: 0,
    },
  },
  migrationsDirectory: fileURLToPath(new URL('./migrations', import.meta.url)),
  routes(api, ctx) {
    mountPlaceRoutes(api, ctx);
    mountScheduleRoutes(api, ctx);
    mountGroupRoutes(api, ctx);
    mountLockdownRoutes(api, ctx);
    mountEventRoutes(api, ctx);
    mountAllowListRoutes(api, ctx);
  },
  decide: decideDoorOpen,
  demoSeed: seedAccessDemo,
};
