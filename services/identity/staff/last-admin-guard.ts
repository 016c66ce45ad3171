import type { Knex } from 'knex';
import { TesseraError } from '../../../shared/errors/index.js';

/**
 * Refuses a change that would leave no active admin (disabling one, or taking the role away).
 * The active admins' rows are locked FOR UPDATE first, so two admins disabling each other at
 * the same moment are serialised: the second sees one admin left and is refused.
 */
export async function guardLastAdmin(trx: Knex.Transaction, staffId: string): Promise<void> {
  const admins = (await trx('staff_accounts')
    .where({ status: 'active' })
    .whereRaw(`'admin' = any(roles)`)
    .orderBy('id')
    .forUpdate()
    .pluck('id')) as string[];
  if (admins.includes(staffId) && admins.length === 1) {
    throw new TesseraError('ERR_STAFF_LAST_ADMIN', 'This is the last active admin: make another account admin first');
  }
}
