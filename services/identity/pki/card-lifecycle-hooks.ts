import type { Knex } from 'knex';
import type { RevocationReason } from './certificate-store.js';
import type { PlatformPki } from './platform-pki.js';

/** Why a card was revoked, in the card lifecycle's words. */
export type CardRevocationEvent = 'lost' | 'stolen' | 'damaged' | 'left' | 'superseded';

/**
 * Card events to RFC 5280 §5.3.1 CRLReason. Lost and stolen cards may be in someone else's
 * hands, so their keys count as compromised; a damaged card's key died with it; a cardholder
 * who left changed affiliation; a replaced card is superseded. Suspension is certificateHold.
 */
export const CRL_REASON_OF_CARD_EVENT: Readonly<Record<CardRevocationEvent, RevocationReason>> = {
  lost: 'keyCompromise',
  stolen: 'keyCompromise',
  damaged: 'cessationOfOperation',
  left: 'affiliationChanged',
  superseded: 'superseded',
};

/**
 * The certificate side of the card lifecycle, shaped as the cards room's CardCertificateHooks:
 * each runs in the lifecycle's transaction and reissues the CRL there, so a card and its
 * certificates change state together or not at all.
 */
export function cardCertificateHooks(pki: PlatformPki) {
  return {
    async revoked(trx: Knex.Transaction, cardId: string, reason: CardRevocationEvent, _now?: Date): Promise<void> {
      const crlReason = CRL_REASON_OF_CARD_EVENT[reason];
      if (!crlReason) throw new TypeError(`unknown card revocation reason ${String(reason)}`);
      await pki.revokeCardCertificates(trx, cardId, crlReason);
    },
    async suspended(trx: Knex.Transaction, cardId: string, _now?: Date): Promise<void> {
      await pki.revokeCardCertificates(trx, cardId, 'certificateHold');
    },
    async resumed(trx: Knex.Transaction, cardId: string, _now?: Date): Promise<void> {
      await pki.releaseCardCertificates(trx, cardId);
    },
  };
}
