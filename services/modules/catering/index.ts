import { fileURLToPath } from 'node:url';
import type { TapModule } from '../../../shared/modules/index.js';
import { seedCateringDemo } from './demo-seed.js';
import { CATERING_MODULE } from './fsm-allowance.js';
import { decidePurchase, PURCHASE_PURPOSE } from './purchase.js';
import { mountMoneyRoutes } from './routes/money-routes.js';
import { mountSetupRoutes } from './routes/setup-routes.js';

/**
 * Cashless catering in schools (issue 7; docs/modules/catering.md): tills are readers, a
 * purchase is a tap whose signed payload is the basket.
 */
export const cateringModule: TapModule = {
  name: CATERING_MODULE,
  description: 'Cashless catering in schools: price lists, tills, purses, free school meals',
  purposes: {
    [PURCHASE_PURPOSE]: {
      description: 'buy the basket in the signed payload at a school till',
      // The school's PIN policy may ask for more; the lowest any school allows is the card alone.
      minimumAssurance: 'card',
      display: ['name'],
      timeBudgetMs: 2000,
      maxPayloadBytes: 4096,
      allowExternal: false,
    },
  },
  migrationsDirectory: fileURLToPath(new URL('./migrations', import.meta.url)),
  routes(api, ctx) {
    mountSetupRoutes(api, ctx);
    mountMoneyRoutes(api, ctx);
  },
  demoSeed: seedCateringDemo,
  decide: decidePurchase,
};
