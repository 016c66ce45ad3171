/** Object identifiers Tessera reads or writes, named for what they are. */
export const OID = {
  // RFC 5280 §4.2.1 certificate extensions
  subjectKeyIdentifier: '2.5.29.14',
  keyUsage: '2.5.29.15',
  subjectAltName: '2.5.29.17',
  basicConstraints: '2.5.29.19',
  crlNumber: '2.5.29.20',
  crlReason: '2.5.29.21',
  crlDistributionPoints: '2.5.29.31',
  certificatePolicies: '2.5.29.32',
  authorityKeyIdentifier: '2.5.29.35',
  extendedKeyUsage: '2.5.29.37',
  authorityInfoAccess: '1.3.6.1.5.5.7.1.1',
  // Extended key usages
  clientAuth: '1.3.6.1.5.5.7.3.2',
  /** Microsoft smart card logon (Windows / Kerberos PKINIT clients look for it on the 9A certificate). */
  smartcardLogon: '1.3.6.1.4.1.311.20.2.2',
  /** id-PIV-cardAuth (FIPS 201-3 §4.2.2.2, SP 800-73 Card Authentication certificate). */
  pivCardAuth: '2.16.840.1.101.3.6.8',
  // Signature algorithms
  sha256WithRSAEncryption: '1.2.840.113549.1.1.11',
  sha384WithRSAEncryption: '1.2.840.113549.1.1.12',
  sha512WithRSAEncryption: '1.2.840.113549.1.1.13',
  ecdsaWithSHA256: '1.2.840.10045.4.3.2',
  ecdsaWithSHA384: '1.2.840.10045.4.3.3',
  ecdsaWithSHA512: '1.2.840.10045.4.3.4',
} as const;

/**
 * Extensions this code understands well enough to honour when critical (RFC 5280 §4.2: a
 * verifier MUST reject a certificate with a critical extension it does not recognise).
 */
export const PROCESSED_EXTENSIONS: ReadonlySet<string> = new Set([
  OID.subjectKeyIdentifier,
  OID.keyUsage,
  OID.subjectAltName,
  OID.basicConstraints,
  OID.crlDistributionPoints,
  OID.certificatePolicies,
  OID.authorityKeyIdentifier,
  OID.extendedKeyUsage,
  OID.authorityInfoAccess,
]);
