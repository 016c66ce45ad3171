import { systemActor } from '../../../shared/audit/index.js';
import { ConfigError } from '../../../shared/config/index.js';
import { isTesseraError } from '../../../shared/errors/index.js';
import type { ServiceContext } from '../../../shared/service/index.js';
import { createStaff } from './create-staff.js';
import { anyAdminExists } from './staff-accounts.js';

/**
 * At start: when no account holds the admin role, create one from TESSERA_ADMIN_USERNAME and
 * TESSERA_ADMIN_PASSWORD. Once any admin exists the variables are ignored, so leaving them set
 * never resets a password. The password is never logged. Safe when replicas start together:
 * the loser of the race finds the username taken and an admin present.
 */
export async function ensureFirstAdmin(ctx: ServiceContext): Promise<void> {
  const { adminUsername, adminPassword } = ctx.config;
  const knex = ctx.db.knex;
  if (await anyAdminExists(knex)) return;
  if (!adminUsername) {
    if (!ctx.config.seedDemo) {
      ctx.logger.warn(
        'No admin account exists: set TESSERA_ADMIN_USERNAME and TESSERA_ADMIN_PASSWORD, or run `tessera staff add <username> --role admin --password-stdin`',
      );
    }
    return;
  }
  if (!adminPassword) {
    throw new ConfigError([
      { variable: 'TESSERA_ADMIN_PASSWORD', expects: 'the first admin password (at least 12 characters); it is required with TESSERA_ADMIN_USERNAME while no admin exists', got: undefined },
    ]);
  }
  try {
    await createStaff(
      { knex, actor: systemActor('identity.first-admin'), now: ctx.now() },
      { username: adminUsername, displayName: 'Administrator', roles: ['admin'], password: adminPassword },
    );
    ctx.logger.info({ username: adminUsername }, 'first admin account created from TESSERA_ADMIN_USERNAME');
  } catch (error) {
    if (isTesseraError(error) && error.code === 'ERR_STAFF_USERNAME_TAKEN' && (await anyAdminExists(knex))) return;
    if (isTesseraError(error) && error.code === 'ERR_STAFF_USERNAME_TAKEN') {
      throw new Error(`TESSERA_ADMIN_USERNAME '${adminUsername}' belongs to an existing account without the admin role; choose another username`);
    }
    if (isTesseraError(error) && error.code === 'ERR_STAFF_PASSWORD_RULES') {
      throw new ConfigError([{ variable: 'TESSERA_ADMIN_PASSWORD', expects: `a password that ${error.message.replace(/^The password /, '')}`, got: undefined }]);
    }
    throw error;
  }
}
