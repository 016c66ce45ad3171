import { fileURLToPath } from 'node:url';
import type { TapModule } from '../../../shared/modules/index.js';
import { seedBudgetsDemo } from './demo-seed.js';
import { BUDGETS_MODULE } from './budget-store.js';
import { mountBudgetRoutes } from './routes/budget-routes.js';
import { mountProviderRoutes } from './routes/provider-routes.js';
import { decideSpend, SPEND_PURPOSE } from './spend.js';

/**
 * Devolved budgets for social care (issue 7; docs/modules/budgets.md): finance loads budgets,
 * the recipient pays approved providers by card and PIN, the amount in the signed payload.
 */
export const budgetsModule: TapModule = {
  name: BUDGETS_MODULE,
  description: 'Devolved budgets (direct payments): loads, approved providers, card-and-PIN spending, clawback',
  purposes: {
    [SPEND_PURPOSE]: {
      description: "pay the amount in the signed payload from the recipient's budget to the provider",
      minimumAssurance: 'card+pin',
      display: [],
      timeBudgetMs: 2000,
      maxPayloadBytes: 256,
      allowExternal: false,
    },
  },
  migrationsDirectory: fileURLToPath(new URL('./migrations', import.meta.url)),
  routes(api, ctx) {
    mountBudgetRoutes(api, ctx);
    mountProviderRoutes(api, ctx);
  },
  demoSeed: seedBudgetsDemo,
  decide: decideSpend,
};
