import type { Knex } from 'knex';
import { TesseraError } from '../../../shared/errors/index.js';

/** Any constant: it is the same for every Tessera process on one database. */
const ADMIN_SET_LOCK = 7_355_612;

/**
 * Serialises the staff changes that can take an admin away (disable, role change). Taken
 * first in the transaction, before any row lock: two admins disabling each other would
 * otherwise each lock their target's row and then wait for the other's - a deadlock.
 */
export async function lockAdminSet(trx: Knex.Transaction): Promise<void> {
  await trx.raw('select pg_advisory_xact_lock(?)', [ADMIN_SET_LOCK]);
}

/**
 * Refuses a change that would leave no active admin (disabling one, or taking the role away).
 * Call it after lockAdminSet in the same transaction: the count it reads then stays true
 * until the transaction commits.
 */
export async function guardLastAdmin(trx: Knex.Transaction, staffId: string): Promise<void> {
  const admins = (await trx('staff_accounts').where({ status: 'active' }).whereRaw(`'admin' = any(roles)`).pluck('id')) as string[];
  if (admins.includes(staffId) && admins.length === 1) {
    throw new TesseraError('ERR_STAFF_LAST_ADMIN', 'This is the last active admin: make another account admin first');
  }
}
