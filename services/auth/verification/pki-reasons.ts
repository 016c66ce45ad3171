import { isTesseraError } from '../../../shared/errors/index.js';
import type { TapReason } from '../taps/tap-reasons.js';

/** A coded PKI failure (shared/x509) as the reason of a denied tap. Anything unexpected is untrusted: fail closed. */
export function reasonOfPkiError(error: unknown): TapReason {
  if (!isTesseraError(error)) return 'certificate_untrusted';
  switch (error.code) {
    case 'ERR_PKI_CERT_MALFORMED':
      return 'certificate_malformed';
    case 'ERR_PKI_CERT_EXPIRED':
      return 'certificate_expired';
    case 'ERR_PKI_CERT_NOT_YET_VALID':
      return 'certificate_not_yet_valid';
    case 'ERR_PKI_CERT_REVOKED':
      return 'certificate_revoked';
    case 'ERR_PKI_CRL_MISSING':
    case 'ERR_PKI_CRL_EXPIRED':
      return 'revocation_unknown';
    default:
      return 'certificate_untrusted';
  }
}
