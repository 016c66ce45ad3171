import { createHash, createPublicKey, type KeyObject } from 'node:crypto';
import { TesseraError, isTesseraError } from '../errors/index.js';
import { readDerChildren, readDerElement } from './der.js';
import { readExtensions, type CertificateExtensions } from './extensions.js';
import { x509 } from './peculiar.js';
import { isPem, pemBlocksOf, PEM_CERTIFICATE } from './pem.js';
import { normaliseSerial } from './serial.js';
import { readSignedParts, type SignedParts } from './signature.js';

export type PublicKeyDescription =
  | { readonly type: 'rsa'; readonly bits: number }
  | { readonly type: 'ec'; readonly curve: string }
  | { readonly type: string };

/**
 * A certificate parsed once into what verification and display need. Immutable and safe to
 * cache by fingerprint: the tap path keeps these (with their KeyObject) and never re-parses.
 */
export interface CertificateView {
  readonly der: Uint8Array;
  /** SHA-256 of the DER, lower-case hex: the cache key and a stable id for logs. */
  readonly fingerprint: string;
  /** Lower-case hex without leading zeros (see normaliseSerial). */
  readonly serial: string;
  /** RFC 4514-style strings for people; chain building compares the raw DER below. */
  readonly subject: string;
  readonly issuer: string;
  readonly subjectDer: Uint8Array;
  readonly issuerDer: Uint8Array;
  readonly notBefore: Date;
  readonly notAfter: Date;
  /** SubjectPublicKeyInfo DER and the node:crypto key made from it once. */
  readonly spki: Uint8Array;
  readonly publicKey: KeyObject;
  readonly keyDescription: PublicKeyDescription;
  readonly signed: SignedParts;
  readonly extensions: CertificateExtensions;
  readonly selfIssued: boolean;
}

/** Parses one certificate from DER or PEM (the first CERTIFICATE block). Throws ERR_PKI_CERT_MALFORMED. */
export function parseCertificate(input: Uint8Array | string): CertificateView {
  const der = certificateDer(input);
  try {
    const signed = readSignedParts(der, 'ERR_PKI_CERT_MALFORMED');
    const fields = tbsFields(signed.tbs);
    const cert = new x509.X509Certificate(Uint8Array.from(der));
    const publicKey = createPublicKey({ key: Buffer.from(fields.spki), format: 'der', type: 'spki' });
    return Object.freeze({
      der,
      fingerprint: createHash('sha256').update(der).digest('hex'),
      serial: normaliseSerial(cert.serialNumber),
      subject: cert.subject,
      issuer: cert.issuer,
      subjectDer: fields.subject,
      issuerDer: fields.issuer,
      notBefore: cert.notBefore,
      notAfter: cert.notAfter,
      spki: fields.spki,
      publicKey,
      keyDescription: describePublicKey(publicKey),
      signed,
      extensions: Object.freeze(readExtensions(cert)),
      selfIssued: Buffer.from(fields.subject).equals(fields.issuer),
    });
  } catch (error) {
    if (isTesseraError(error)) throw error;
    throw new TesseraError('ERR_PKI_CERT_MALFORMED', `Cannot parse the certificate: ${(error as Error).message}`, {}, { cause: error });
  }
}

/** Every certificate in a PEM bundle (leaf first, as written), or the single DER certificate. */
export function parseCertificates(input: Uint8Array | string): CertificateView[] {
  if (!isPem(input)) return [parseCertificate(input)];
  const text = typeof input === 'string' ? input : Buffer.from(input).toString('utf8');
  return pemBlocksOf(text, PEM_CERTIFICATE).map((der) => parseCertificate(der));
}

export function describePublicKey(key: KeyObject): PublicKeyDescription {
  const details = key.asymmetricKeyDetails ?? {};
  if (key.asymmetricKeyType === 'rsa') return { type: 'rsa', bits: details.modulusLength ?? 0 };
  if (key.asymmetricKeyType === 'ec') return { type: 'ec', curve: curveName(details.namedCurve ?? '') };
  return { type: key.asymmetricKeyType ?? 'unknown' };
}

/** OpenSSL curve names to the NIST names used in SP 800-78 and WebCrypto. */
export function curveName(openssl: string): string {
  return ({ prime256v1: 'P-256', secp384r1: 'P-384', secp521r1: 'P-521' } as Record<string, string>)[openssl] ?? openssl;
}

function certificateDer(input: Uint8Array | string): Uint8Array {
  if (isPem(input)) {
    const text = typeof input === 'string' ? input : Buffer.from(input).toString('utf8');
    const first = pemBlocksOf(text, PEM_CERTIFICATE)[0];
    if (!first) throw new TesseraError('ERR_PKI_CERT_MALFORMED', 'The PEM text holds no CERTIFICATE block');
    return first;
  }
  if (typeof input === 'string') throw new TesseraError('ERR_PKI_CERT_MALFORMED', 'Expected DER bytes or PEM text');
  return Uint8Array.from(input);
}

/** TBSCertificate (RFC 5280 §4.1): [0] version, serial, signature, issuer, validity, subject, spki, ... */
function tbsFields(tbs: Uint8Array): { issuer: Uint8Array; subject: Uint8Array; spki: Uint8Array } {
  const children = readDerChildren(readDerElement(tbs, 0, 'ERR_PKI_CERT_MALFORMED'), 'ERR_PKI_CERT_MALFORMED');
  const offset = children[0]?.tag === 0xa0 ? 1 : 0;
  const issuer = children[offset + 2];
  const subject = children[offset + 4];
  const spki = children[offset + 5];
  if (!issuer || !subject || !spki) throw new TesseraError('ERR_PKI_CERT_MALFORMED', 'TBSCertificate is missing fields');
  return { issuer: issuer.bytes, subject: subject.bytes, spki: spki.bytes };
}
