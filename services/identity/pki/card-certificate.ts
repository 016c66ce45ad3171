import { createPublicKey, type KeyObject, type webcrypto } from 'node:crypto';
import { TesseraError } from '../../../shared/errors/index.js';
import { certificatePoliciesExtension, describePublicKey, x509, type CertificateView } from '../../../shared/x509/index.js';
import { backdatedNotBefore } from './ca-certificates.js';
import { signingAlgorithmFor } from './ca-keys.js';
import { CARD_PROFILES, type CardCertificateProfile } from './card-profiles.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export interface CardCertificateRequest {
  readonly profile: CardCertificateProfile;
  /** The key the card generated in the slot: a KeyObject or SubjectPublicKeyInfo DER. */
  readonly publicKey: KeyObject | Uint8Array;
  /** The card's UUID (lower case), as in its CHUID. */
  readonly cardId: string;
  /** The platform's reference for the cardholder, e.g. "CH-000123" (never a name). */
  readonly cardholderRef: string;
  /** The card's expiry: the certificate never outlives it (FIPS 201-3 §5, SP 800-78 "expire no later than the card"). */
  readonly notAfter: Date;
}

export interface CardCertificateTemplate {
  readonly serial: string;
  readonly organisation: string;
  readonly crlUrl: string;
  readonly now: Date;
  readonly issuer: CertificateView;
  readonly issuerKey: webcrypto.CryptoKey;
}

/** Checks the request and returns the SPKI DER of the card key. */
export function checkCardCertificateRequest(request: CardCertificateRequest): Uint8Array {
  if (!UUID.test(request.cardId)) {
    throw new TesseraError('ERR_VALIDATION', 'cardId must be a lower-case UUID', { errors: [{ in: 'body', pointer: '/cardId', message: 'not a UUID' }] });
  }
  if (!/^[\x20-\x7e]{1,64}$/.test(request.cardholderRef) || /[,+="\\<>;#]/.test(request.cardholderRef)) {
    throw new TesseraError('ERR_VALIDATION', 'cardholderRef must be 1 to 64 printable characters without DN specials', {
      errors: [{ in: 'body', pointer: '/cardholderRef', message: 'not a plain reference' }],
    });
  }
  const key = toKeyObject(request.publicKey);
  // SP 800-78-5 Table 3-1: PIV Authentication and Card Authentication keys are RSA-2048 or ECC P-256 here.
  const description = describePublicKey(key);
  const allowed =
    (description.type === 'rsa' && 'bits' in description && description.bits === 2048 && key.asymmetricKeyDetails?.publicExponent === 65537n) ||
    (description.type === 'ec' && 'curve' in description && description.curve === 'P-256');
  if (!allowed) {
    throw new TesseraError('ERR_PKI_UNSUPPORTED_KEY', `A ${request.profile} key must be RSA-2048 (e=65537) or ECC P-256`, {
      key: description,
    });
  }
  return new Uint8Array(key.export({ format: 'der', type: 'spki' }));
}

/**
 * The end of validity: the card's expiry, but never after the issuing CA's own notAfter
 * (RFC 5280 §6: a certificate cannot be valid beyond its issuer in a validating path).
 */
export function cardCertificateNotAfter(requested: Date, issuer: CertificateView, now: Date): Date {
  const notAfter = requested.getTime() > issuer.notAfter.getTime() ? issuer.notAfter : requested;
  if (notAfter.getTime() <= now.getTime()) {
    throw new TesseraError('ERR_PKI_VALIDITY', `The certificate would end at ${notAfter.toISOString()}, which is not in the future`);
  }
  return notAfter;
}

export function cardSubjectName(request: Pick<CardCertificateRequest, 'profile' | 'cardId' | 'cardholderRef'>, organisation: string): x509.Name {
  const profile = CARD_PROFILES[request.profile];
  const commonName = profile.carriesCardholderRef ? request.cardholderRef : request.cardId;
  return new x509.Name([{ O: [organisation] }, { OU: [profile.unit] }, { CN: [commonName] }]);
}

/** Builds and signs the certificate of one card slot. Pure: storing it is the caller's job. */
export async function buildCardCertificate(request: CardCertificateRequest, template: CardCertificateTemplate): Promise<Uint8Array> {
  const spki = checkCardCertificateRequest(request);
  const profile = CARD_PROFILES[request.profile];
  const notAfter = cardCertificateNotAfter(request.notAfter, template.issuer, template.now);
  const authorityKeyId = template.issuer.extensions.subjectKeyId;
  const extensions: x509.Extension[] = [
    new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
    new x509.ExtendedKeyUsageExtension([...profile.extendedKeyUsage], profile.extendedKeyUsageCritical),
    new x509.BasicConstraintsExtension(false, undefined, true),
    new x509.SubjectAlternativeNameExtension([{ type: 'url', value: `urn:uuid:${request.cardId}` }], false),
    certificatePoliciesExtension([profile.policy]),
    new x509.CRLDistributionPointsExtension([template.crlUrl]),
    await x509.SubjectKeyIdentifierExtension.create(spki),
  ];
  if (authorityKeyId) extensions.push(new x509.AuthorityKeyIdentifierExtension(authorityKeyId));
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: template.serial,
    subject: cardSubjectName(request, template.organisation),
    issuer: new x509.Name(template.issuer.subjectDer),
    notBefore: backdatedNotBefore(template.now, template.issuer),
    notAfter,
    publicKey: spki,
    signingKey: template.issuerKey,
    signingAlgorithm: signingAlgorithmFor(template.issuerKey),
    extensions,
  });
  return new Uint8Array(cert.rawData);
}

function toKeyObject(key: KeyObject | Uint8Array): KeyObject {
  if (!(key instanceof Uint8Array)) {
    if (key.type !== 'public') throw new TesseraError('ERR_PKI_KEY_MALFORMED', 'The card key must be a public key');
    return key;
  }
  try {
    return createPublicKey({ key: Buffer.from(key), format: 'der', type: 'spki' });
  } catch (cause) {
    throw new TesseraError('ERR_PKI_KEY_MALFORMED', 'The card key is not a DER SubjectPublicKeyInfo', {}, { cause });
  }
}
