/**
 * The platform PKI (issue 4): root and issuing CA, card certificates for PIV slots 9A and 9E,
 * revocation and the CRL. The identity service mounts `pkiPart`; the card lifecycle uses
 * `cardCertificateHooks(pkiFor(ctx))`; issuance calls `pkiFor(ctx).issueCardCertificate(...)`.
 */
export { CRL_LIFETIME_MS, CRL_REFRESH_MARGIN_MS } from './crl-publisher.js';
export { PlatformPki, type PlatformPkiOptions, type IssuedCardCertificate, type PublishedCrl, type PkiStatus } from './platform-pki.js';
export { pkiFor, crlUrlOf } from './pki-for-context.js';
export { pkiPart } from './pki-part.js';
export { mountPkiRoutes, CRL_MEDIA_TYPE, CHAIN_MEDIA_TYPE } from './pki-routes.js';
export { pkiDemoSeeder } from './pki-seeder.js';
export { cardCertificateHooks, CRL_REASON_OF_CARD_EVENT, type CardRevocationEvent } from './card-lifecycle-hooks.js';
export { CARD_PROFILES, CARD_PROFILE_NAMES, profileOfSlot, type CardCertificateProfile, type CardSlot, type CardProfileDefinition } from './card-profiles.js';
export type { CardCertificateRequest } from './card-certificate.js';
export { REVOCATION_REASONS, type RevocationReason, type CertificateStatus, type IssuedCertificateRecord } from './certificate-store.js';
export type { Authority, AuthorityOrigin } from './authority-store.js';
export type { CaImportInput } from './import-authority.js';
export { TESSERA_ARC, TESSERA_POLICY } from './policy-oids.js';
