import { httpErrors } from './codes/http.js';
import { cardErrors } from './codes/card.js';
import { ledgerErrors } from './codes/ledger.js';
import { identityErrors } from './codes/identity.js';
import { pkiErrors } from './codes/pki.js';
import { cardholderErrors } from './codes/cardholders.js';
import { authErrors } from './codes/auth.js';
import { issuanceErrors } from './codes/issuance.js';
import { cateringErrors } from './codes/catering.js';
import { budgetErrors } from './codes/budgets.js';
import { accessErrors } from './codes/access.js';

/**
 * The one catalogue of error codes (STYLE.md, after panva/jose). Each room adds its codes in
 * its own file under codes/ and spreads it in here, so a code is defined once and maps to one
 * HTTP status and one problem `type` everywhere.
 */
export const errorCatalogue = {
  ...httpErrors,
  ...cardErrors,
  ...ledgerErrors,
  ...identityErrors,
  ...pkiErrors,
  ...cardholderErrors,
  ...authErrors,
  ...issuanceErrors,
  ...cateringErrors,
  ...budgetErrors,
  ...accessErrors,
} as const;

export type ErrorCode = keyof typeof errorCatalogue;

/** The stable RFC 9457 `type` URI for a code: a URN, so it never depends on where we are hosted. */
export function problemTypeFor(code: ErrorCode): string {
  return `urn:tessera:problem:${code.slice(4).toLowerCase().replaceAll('_', '-')}`;
}
