import type { webcrypto } from 'node:crypto';
import { CRL_REASON_CODES, encodeDerInteger, OID, x509, type CertificateView, type CrlReason } from '../../../shared/x509/index.js';
import { signingAlgorithmFor } from './ca-keys.js';

export interface CrlContents {
  readonly issuer: CertificateView;
  readonly issuerKey: webcrypto.CryptoKey;
  readonly crlNumber: bigint;
  readonly thisUpdate: Date;
  readonly nextUpdate: Date;
  readonly entries: readonly { readonly serial: string; readonly revokedAt: Date; readonly reason: CrlReason }[];
}

/**
 * A full v2 CRL (RFC 5280 §5): issuer name copied byte for byte from the CA certificate,
 * cRLNumber and authorityKeyIdentifier (both required of conforming CAs, §5.2.1 / §5.2.3),
 * one entry per serial with reasonCode, omitted for 'unspecified' as §5.3.1 recommends.
 */
export async function buildCrl(contents: CrlContents): Promise<Uint8Array> {
  const extensions: x509.Extension[] = [new x509.Extension(OID.crlNumber, false, encodeDerInteger(contents.crlNumber))];
  if (contents.issuer.extensions.subjectKeyId) {
    extensions.push(new x509.AuthorityKeyIdentifierExtension(contents.issuer.extensions.subjectKeyId));
  }
  const crl = await x509.X509CrlGenerator.create({
    issuer: new x509.Name(contents.issuer.subjectDer),
    thisUpdate: contents.thisUpdate,
    nextUpdate: contents.nextUpdate,
    extensions,
    entries: contents.entries.map((entry) => ({
      serialNumber: entry.serial,
      revocationDate: entry.revokedAt,
      ...(entry.reason === 'unspecified' ? {} : { reason: CRL_REASON_CODES[entry.reason] }),
    })),
    signingKey: contents.issuerKey,
    signingAlgorithm: signingAlgorithmFor(contents.issuerKey),
  });
  return new Uint8Array(crl.rawData);
}
