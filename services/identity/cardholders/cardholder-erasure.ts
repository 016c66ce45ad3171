import type { Knex } from 'knex';
import { appendAudit, type AuditActor } from '../../../shared/audit/index.js';
import type { CardCertificateHooks } from '../cards/card-certificate-hooks.js';
import { applyCardAction, liveCardsOf } from '../cards/card-store.js';
import { getCardholder, type Cardholder } from './cardholder-store.js';

/**
 * Erasure (UK GDPR art. 17) that keeps the books: the row stays, with its id and reference, so
 * ledger transfers and the audit chain that point at it stay whole and verifiable; every
 * personal field is overwritten, the photo dropped, and every live card revoked (reason: left).
 * The audit chain never held personal values (only field names), so nothing there needs erasing.
 */
export async function eraseCardholder(
  trx: Knex.Transaction,
  cardholderId: string,
  context: { actor: AuditActor; now: Date; certificates: CardCertificateHooks },
): Promise<Cardholder> {
  const before = await getCardholder(trx, cardholderId, { forUpdate: true });
  const live = await liveCardsOf(trx, cardholderId, context);
  for (const card of live) {
    if (card.status === 'issuing') {
      // A card never finished is not a card; drop the half-done record, and revoke any certificate it already got.
      await context.certificates.revoked(trx, card.id, 'left', context.now);
      await trx('cards').where({ id: card.id }).delete();
    } else {
      await applyCardAction(trx, card.id, { kind: 'revoke', reason: 'left' }, { ...context, details: { because: 'cardholder erased' } });
    }
  }
  await trx('cardholders').where({ id: cardholderId }).update({
    given_name: 'Erased',
    family_name: `Cardholder ${before.reference}`,
    org_unit: null,
    staff_number: null,
    pupil_upn: null,
    library_number: null,
    email: null,
    date_of_birth: null,
    photo: null,
    photo_type: null,
    status: 'erased',
    erased_at: context.now,
    updated_at: context.now,
  });
  await appendAudit(trx, {
    actor: context.actor,
    action: 'cardholder.erase',
    subject: { kind: 'cardholder', id: cardholderId },
    details: { reference: before.reference, cardsRevoked: live.filter((c) => c.status !== 'issuing').map((c) => c.id) },
    at: context.now,
  });
  return getCardholder(trx, cardholderId, { allowErased: true });
}
