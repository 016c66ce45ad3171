import type { Knex } from 'knex';
import type { Database } from '../../../shared/db/index.js';
import { lockAuthority, type Authority } from './authority-store.js';
import type { CaKeyRing } from './ca-key-ring.js';
import { crlEntriesOf } from './certificate-store.js';
import { buildCrl } from './crl-builder.js';
import { insertCrl, latestCrl, type StoredCrl } from './crl-store.js';

/** How long a CRL is current (nextUpdate - thisUpdate). */
export const CRL_LIFETIME_MS = 24 * 3_600_000;
/** A CRL read within this margin of its nextUpdate is reissued first (refresh-on-read, no timer). */
export const CRL_REFRESH_MARGIN_MS = 6 * 3_600_000;

/**
 * Issues the issuing CA's CRLs. Numbering takes the CA's row lock, so concurrent revocations on
 * different replicas queue and each CRL gets the next cRLNumber and sees every earlier commit.
 */
export class CrlPublisher {
  constructor(
    private readonly db: Database,
    private readonly keys: CaKeyRing,
    private readonly now: () => Date,
    private readonly lifetimeMs = CRL_LIFETIME_MS,
    private readonly refreshMarginMs = CRL_REFRESH_MARGIN_MS,
  ) {}

  /** Issues a new CRL inside `trx` (commits with it). */
  async publish(trx: Knex.Transaction, issuing: Authority): Promise<StoredCrl> {
    await lockAuthority(trx, issuing.id);
    const previous = await latestCrl(trx, issuing.id);
    const thisUpdate = this.now();
    const nextUpdate = new Date(thisUpdate.getTime() + this.lifetimeMs);
    const entries = await crlEntriesOf(trx, issuing.id, thisUpdate);
    const crlNumber = (previous?.crlNumber ?? 0n) + 1n;
    const issuerKey = await this.keys.signingKey(issuing);
    const der = await buildCrl({ issuer: issuing.certificate, issuerKey, crlNumber, thisUpdate, nextUpdate, entries });
    const stored: StoredCrl = { authorityId: issuing.id, crlNumber, thisUpdate, nextUpdate, entryCount: entries.length, der };
    await insertCrl(trx, stored);
    return stored;
  }

  /** The newest CRL, reissued first if there is none or it is within the refresh margin of nextUpdate. */
  async current(issuing: Authority): Promise<StoredCrl> {
    const latest = await latestCrl(this.db.knex, issuing.id);
    if (latest && this.#fresh(latest)) return latest;
    return this.db.knex.transaction(async (trx) => {
      await lockAuthority(trx, issuing.id);
      // Another replica may have refreshed it while we waited for the lock.
      const again = await latestCrl(trx, issuing.id);
      if (again && this.#fresh(again)) return again;
      return this.publish(trx, issuing);
    });
  }

  #fresh(crl: StoredCrl): boolean {
    return this.now().getTime() < crl.nextUpdate.getTime() - this.refreshMarginMs;
  }
}
