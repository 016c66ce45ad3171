import type { ErrorDefinitions } from '../define-errors.js';

/**
 * Errors of the platform PKI and of X.509 handling (shared/x509). A credential that is
 * malformed is 422; one that is well formed but not trusted (bad chain, expired, revoked, bad
 * signature) is 403, so the tap path can fail closed on the code alone. A PKI that has no
 * issuing CA yet is a dependency that is not ready (503).
 */
export const pkiErrors = {
  ERR_PKI_CERT_MALFORMED: { status: 422, title: 'Not a well-formed X.509 certificate' },
  ERR_PKI_CRL_MALFORMED: { status: 422, title: 'Not a well-formed X.509 CRL' },
  ERR_PKI_KEY_MALFORMED: { status: 422, title: 'Not a usable private or public key' },
  ERR_PKI_UNSUPPORTED_ALGORITHM: { status: 422, title: 'The signature algorithm is not on the allowlist' },
  ERR_PKI_UNSUPPORTED_KEY: { status: 422, title: 'The key type or size is not allowed for this profile' },
  ERR_PKI_UNKNOWN_CRITICAL_EXTENSION: { status: 403, title: 'The certificate has a critical extension we do not process' },
  ERR_PKI_SIGNATURE_INVALID: { status: 403, title: 'The signature does not verify' },
  ERR_PKI_CERT_EXPIRED: { status: 403, title: 'The certificate has expired' },
  ERR_PKI_CERT_NOT_YET_VALID: { status: 403, title: 'The certificate is not valid yet' },
  ERR_PKI_CHAIN_UNTRUSTED: { status: 403, title: 'The certificate does not chain to a trust anchor' },
  ERR_PKI_NOT_A_CA: { status: 403, title: 'An issuer in the chain is not allowed to sign certificates' },
  ERR_PKI_PATH_TOO_LONG: { status: 403, title: 'The certification path is longer than its constraints allow' },
  ERR_PKI_CERT_REVOKED: { status: 403, title: 'The certificate is revoked' },
  ERR_PKI_CRL_EXPIRED: { status: 403, title: 'The revocation list is past its next update' },
  ERR_PKI_CRL_MISSING: { status: 403, title: 'No current revocation list for an issuer in the chain' },
  ERR_PKI_NOT_INITIALISED: { status: 503, title: 'The platform CA has not been created or imported yet' },
  ERR_PKI_CA_EXISTS: { status: 409, title: 'A platform CA already exists' },
  ERR_PKI_IMPORT_INVALID: { status: 422, title: 'The CA certificate and key cannot be imported' },
  ERR_PKI_VALIDITY: { status: 422, title: 'The requested validity period is not possible' },
  ERR_PKI_CERT_NOT_FOUND: { status: 404, title: 'No certificate with this serial number' },
} as const satisfies ErrorDefinitions;

export type PkiErrorCode = keyof typeof pkiErrors;
