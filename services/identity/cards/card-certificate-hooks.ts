import type { Knex } from 'knex';
import type { RevocationReason } from './card-lifecycle.js';

/**
 * What a lifecycle change means for a card's certificates. The PKI supplies the real hooks
 * (revoke into the CRL, put on hold, release the hold); they run inside the lifecycle's
 * transaction, so a card is never revoked without its certificates being revoked too.
 */
export interface CardCertificateHooks {
  revoked(trx: Knex.Transaction, cardId: string, reason: RevocationReason, now: Date): Promise<void>;
  suspended(trx: Knex.Transaction, cardId: string, now: Date): Promise<void>;
  resumed(trx: Knex.Transaction, cardId: string, now: Date): Promise<void>;
}

/** For a platform without a PKI part (and unit tests of the lifecycle alone). */
export const withoutCertificates: CardCertificateHooks = {
  revoked: async () => {},
  suspended: async () => {},
  resumed: async () => {},
};
