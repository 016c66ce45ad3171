import type { DemoSeeder } from '../../../shared/service/index.js';
import { pkiFor } from './pki-for-context.js';

/**
 * Demo data for the PKI: the hierarchy and a first CRL. The platform creates them at start
 * anyway; the seeder makes a seeded database complete even when the PKI part's start-up was
 * skipped (e.g. `tessera start --only` of a service that does not mount it). Idempotent.
 */
export const pkiDemoSeeder: DemoSeeder = {
  name: 'ca',
  async seed(ctx) {
    const pki = pkiFor(ctx);
    await pki.ensureHierarchy();
    await pki.currentCrl();
  },
};
