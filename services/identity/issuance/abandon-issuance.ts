import type { Knex } from 'knex';
import { appendAudit, type AuditActor } from '../../../shared/audit/index.js';
import type { PlatformPki } from '../pki/index.js';
import type { CardRow } from './issuance-store.js';
import { parseProgress } from './issuance-progress.js';

/**
 * Drops an issuance that will never finish (a different blank card took its place, or the desk
 * gave up): the certificates it got are revoked (cessationOfOperation) so they are on the next
 * CRL even though their card never became usable, and the record is deleted; an issuing record
 * was never a card (card-lifecycle.ts). A card that already took this record's management key
 * is spoiled stock: nobody holds its key any more.
 */
export async function abandonIssuance(
  trx: Knex.Transaction,
  row: CardRow,
  context: { pki: PlatformPki; actor: AuditActor; now: Date; because: string },
): Promise<{ certificatesRevoked: string[] }> {
  const progress = parseProgress(row.issuance);
  const certificatesRevoked = await context.pki.revokeCardCertificates(trx, row.id, 'cessationOfOperation');
  await trx('cards').where({ id: row.id }).delete();
  await appendAudit(trx, {
    actor: context.actor,
    action: 'card.abandon',
    subject: { kind: 'card', id: row.id },
    details: {
      cardholderId: row.cardholder_id,
      kind: row.kind,
      because: context.because,
      stepsDone: Object.keys(progress.done),
      certificatesRevoked,
    },
    at: context.now,
  });
  return { certificatesRevoked };
}
