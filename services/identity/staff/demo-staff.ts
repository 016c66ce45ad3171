import { systemActor } from '../../../shared/audit/index.js';
import type { DemoSeeder } from '../../../shared/service/index.js';
import type { StaffRole } from '../roles.js';
import { createStaff } from './create-staff.js';
import { findStaffByUsername } from './staff-accounts.js';

/**
 * Demo accounts for the embedded database (never seeded on PostgreSQL unless
 * TESSERA_SEED_DEMO=true). Their passwords are public - docs/staff-and-audit.md and the README
 * list them - so printing them in the seed log line gives nothing away.
 */
export const DEMO_STAFF: readonly { username: string; displayName: string; roles: StaffRole[]; password: string }[] = [
  { username: 'admin', displayName: 'Demo Admin', roles: ['admin'], password: 'tessera-admin-demo' },
  { username: 'reception', displayName: 'Demo Reception', roles: ['reception'], password: 'tessera-reception-demo' },
  { username: 'finance', displayName: 'Demo Finance', roles: ['finance'], password: 'tessera-finance-demo' },
  {
    username: 'manager',
    displayName: 'Demo Module Manager',
    roles: ['access-manager', 'logon-manager', 'print-manager', 'catering-manager', 'library-manager', 'registration-manager', 'budgets-manager'],
    password: 'tessera-manager-demo',
  },
];

export const demoStaffSeeder: DemoSeeder = {
  name: 'demo-staff',
  async seed(ctx) {
    const command = { knex: ctx.db.knex, actor: systemActor('demo-seed'), now: ctx.now() };
    const created: string[] = [];
    for (const account of DEMO_STAFF) {
      // Re-runnable: an account that exists (say, the configured first admin) is left alone.
      if (await findStaffByUsername(ctx.db.knex, account.username)) continue;
      await createStaff(command, account);
      created.push(`${account.username} / ${account.password}`);
    }
    if (created.length > 0) ctx.logger.info(`Demo staff sign-ins (public demo passwords): ${created.join(', ')}`);
  },
};
