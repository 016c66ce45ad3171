/**
 * X.509 for Tessera: parse certificates and CRLs once into small immutable views, verify
 * chains and revocation with node:crypto (the hot path), write PEM. Building and signing
 * certificates is the platform PKI's job (services/identity/pki) through @peculiar/x509.
 */
export { parseCertificate, parseCertificates, describePublicKey, curveName, type CertificateView, type PublicKeyDescription } from './certificate-view.js';
export { CertificateCache } from './certificate-cache.js';
export { verifyChain, requireValidAt, type ChainOptions, type VerifiedChain } from './chain.js';
export { parseCrl, revocationOf, verifyCrlIssuedBy, type CrlView, type RevokedEntry } from './crl-view.js';
export { CRL_REASON_CODES, CRL_REASONS, crlReasonOfCode, isCrlReason, type CrlReason } from './crl-reason.js';
export { encodeDer, encodeDerInteger, encodeDerOid, decodeOid, readDerElement, readDerChildren, type DerElement } from './der.js';
export { certificatePoliciesExtension, readAltNames, readPolicyOids } from './extensions.js';
export type { AltNames, CertificateExtensions, KeyUsageName } from './extensions.js';
export { OID, PROCESSED_EXTENSIONS } from './oids.js';
export { x509 } from './peculiar.js';
export { toPem, readPemBlocks, pemBlocksOf, isPem, PEM_CERTIFICATE, PEM_CRL, type PemBlock } from './pem.js';
export { normaliseSerial, randomSerial } from './serial.js';
export { readSignedParts, verifySignedParts, hashOfSignatureAlgorithm, type SignedParts, type SignatureHash } from './signature.js';
