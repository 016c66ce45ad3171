import type { TapModule } from '../../shared/modules/index.js';
import { accessModule } from './access/index.js';
import { budgetsModule } from './budgets/index.js';
import { cateringModule } from './catering/index.js';

/**
 * The tap modules this platform runs (access, logon, print, catering, library, registration,
 * budgets ...). Each lives in services/modules/<name>/ and exports one TapModule (the contract
 * is in shared/modules/); add one line here per module. The auth service's registry checks the
 * list when the platform starts, and TESSERA_DISABLED_MODULES switches modules off.
 */
export function installedModules(): TapModule[] {
  return [
    cateringModule,
    budgetsModule,
    accessModule,
  ];
}
