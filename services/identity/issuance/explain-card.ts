import type { TesseraError } from '../../../shared/errors/index.js';
import { TesseraError as Err } from '../../../shared/errors/index.js';
import type { CardProbe } from './card-probe.js';
import type { IssuanceDeps } from './issuance-deps.js';
import { findCardRowByGuid, findIssuingRowByGuid } from './issuance-store.js';

/**
 * A card that is not blank is refused; say what it is when the platform knows it: a card
 * half-issued for another cardholder, or a card already issued.
 */
export async function explainNotBlank(deps: IssuanceDeps, probe: CardProbe, error: TesseraError): Promise<TesseraError> {
  if (!probe.guid) return error;
  const issuing = await findIssuingRowByGuid(deps.db.knex, probe.guid);
  if (issuing) {
    return new Err('ERR_CARD_NOT_BLANK', `This card is half issued as card ${issuing.id} for another cardholder: finish that issuance or use another blank card`, {
      ...error.extensions,
      cardId: issuing.id,
    });
  }
  const issued = await findCardRowByGuid(deps.db.knex, probe.guid);
  if (issued) {
    return new Err('ERR_CARD_NOT_BLANK', `This is card ${issued.id} (${issued.status}), already issued: use a blank card`, { ...error.extensions, cardId: issued.id });
  }
  return error;
}
