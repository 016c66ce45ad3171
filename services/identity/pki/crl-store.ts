import type { Knex } from 'knex';

/** One issued CRL as stored in pki_crls. */
export interface StoredCrl {
  readonly authorityId: string;
  readonly crlNumber: bigint;
  readonly thisUpdate: Date;
  readonly nextUpdate: Date;
  readonly entryCount: number;
  readonly der: Uint8Array;
}

/** How many CRLs of a CA are kept besides the newest (for diagnosis; relying parties need only the newest). */
const KEEP_PREVIOUS = 10;

export async function latestCrl(q: Knex | Knex.Transaction, authorityId: string): Promise<StoredCrl | undefined> {
  const row = await q('pki_crls').where({ authority_id: authorityId }).orderBy('crl_number', 'desc').first();
  if (!row) return undefined;
  return {
    authorityId: row.authority_id,
    // bigint columns come back as strings from pg.
    crlNumber: BigInt(row.crl_number),
    thisUpdate: new Date(row.this_update),
    nextUpdate: new Date(row.next_update),
    entryCount: Number(row.entry_count),
    der: new Uint8Array(row.der),
  };
}

export async function insertCrl(trx: Knex.Transaction, crl: StoredCrl): Promise<void> {
  await trx('pki_crls').insert({
    authority_id: crl.authorityId,
    crl_number: crl.crlNumber.toString(),
    this_update: crl.thisUpdate,
    next_update: crl.nextUpdate,
    entry_count: crl.entryCount,
    der: Buffer.from(crl.der),
  });
  await trx('pki_crls')
    .where({ authority_id: crl.authorityId })
    .where('crl_number', '<', (crl.crlNumber - BigInt(KEEP_PREVIOUS)).toString())
    .delete();
}
