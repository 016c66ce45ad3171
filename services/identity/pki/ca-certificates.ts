import type { webcrypto } from 'node:crypto';
import { randomSerial, x509, type CertificateView } from '../../../shared/x509/index.js';
import { signingAlgorithmFor } from './ca-keys.js';

type CryptoKey = webcrypto.CryptoKey;

export const ROOT_LIFETIME_YEARS = 20;
/** Longer than a card may live (FIPS 201-3 §2.9.1: at most 6 years), so a new card's certificate fits. */
export const ISSUING_LIFETIME_YEARS = 10;
/** Back-dating covers readers whose clocks lag the platform's by a few minutes. */
export const BACKDATE_MS = 5 * 60_000;

/** Start of validity: a little in the past, but never before the issuer's own (RFC 5280 §6.1.3: each must be valid). */
export function backdatedNotBefore(now: Date, issuer?: { readonly notBefore: Date }): Date {
  const start = now.getTime() - BACKDATE_MS;
  return new Date(issuer ? Math.max(start, issuer.notBefore.getTime()) : start);
}

export function rootCaName(organisation: string): x509.Name {
  return new x509.Name([{ O: [organisation] }, { CN: [`${organisation} Tessera Root CA`] }]);
}

export function issuingCaName(organisation: string): x509.Name {
  return new x509.Name([{ O: [organisation] }, { CN: [`${organisation} Tessera Card Issuing CA`] }]);
}

export function yearsAfter(date: Date, years: number): Date {
  const later = new Date(date);
  later.setUTCFullYear(later.getUTCFullYear() + years);
  return later;
}

/** A self-signed root: cA without a path length limit, keyCertSign + cRLSign (RFC 5280 §4.2.1.9, §4.2.1.3). */
export async function buildRootCertificate(params: {
  keys: webcrypto.CryptoKeyPair;
  name: x509.Name;
  now: Date;
}): Promise<Uint8Array> {
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: randomSerial(),
    name: params.name,
    notBefore: backdatedNotBefore(params.now),
    notAfter: yearsAfter(params.now, ROOT_LIFETIME_YEARS),
    keys: params.keys,
    signingAlgorithm: signingAlgorithmFor(params.keys.privateKey),
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(params.keys.publicKey),
    ],
  });
  return new Uint8Array(cert.rawData);
}

/**
 * The issuing CA under `issuer`: pathLenConstraint 0 (it signs only end-entity certificates),
 * keyCertSign + cRLSign, AKI = the issuer's SKI. It never outlives its issuer.
 */
export async function buildIssuingCertificate(params: {
  issuer: CertificateView;
  issuerKey: CryptoKey;
  publicKey: CryptoKey;
  name: x509.Name;
  now: Date;
}): Promise<Uint8Array> {
  const wanted = yearsAfter(params.now, ISSUING_LIFETIME_YEARS);
  const notAfter = wanted.getTime() > params.issuer.notAfter.getTime() ? params.issuer.notAfter : wanted;
  const extensions: x509.Extension[] = [
    new x509.BasicConstraintsExtension(true, 0, true),
    new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
    await x509.SubjectKeyIdentifierExtension.create(params.publicKey),
  ];
  if (params.issuer.extensions.subjectKeyId) {
    extensions.push(new x509.AuthorityKeyIdentifierExtension(params.issuer.extensions.subjectKeyId));
  }
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: randomSerial(),
    subject: params.name,
    issuer: new x509.Name(params.issuer.subjectDer),
    notBefore: backdatedNotBefore(params.now, params.issuer),
    notAfter,
    publicKey: params.publicKey,
    signingKey: params.issuerKey,
    signingAlgorithm: signingAlgorithmFor(params.issuerKey),
    extensions,
  });
  return new Uint8Array(cert.rawData);
}
