import { TesseraError, isTesseraError } from '../errors/index.js';
import type { CertificateView } from './certificate-view.js';
import { crlReasonOfCode, type CrlReason } from './crl-reason.js';
import { readDerChildren, readDerElement, DER_INTEGER } from './der.js';
import { OID } from './oids.js';
import { x509 } from './peculiar.js';
import { isPem, pemBlocksOf, PEM_CRL } from './pem.js';
import { normaliseSerial } from './serial.js';
import { readSignedParts, verifySignedParts, type SignedParts } from './signature.js';

export interface RevokedEntry {
  readonly serial: string;
  readonly revokedAt: Date;
  readonly reason: CrlReason;
}

/** A CRL parsed once: who issued it, when it is current, and its entries by normalised serial. */
export interface CrlView {
  readonly der: Uint8Array;
  readonly issuer: string;
  readonly issuerDer: Uint8Array;
  readonly thisUpdate: Date;
  readonly nextUpdate: Date | undefined;
  readonly crlNumber: bigint | undefined;
  readonly authorityKeyId: string | undefined;
  readonly entries: ReadonlyMap<string, RevokedEntry>;
  readonly signed: SignedParts;
}

/** Parses a CRL from DER or PEM (`X509 CRL`, or the `CRL` label some tools write). Throws ERR_PKI_CRL_MALFORMED. */
export function parseCrl(input: Uint8Array | string): CrlView {
  const der = crlDer(input);
  try {
    const signed = readSignedParts(der, 'ERR_PKI_CRL_MALFORMED');
    const crl = new x509.X509Crl(Uint8Array.from(der));
    const entries = new Map<string, RevokedEntry>();
    for (const entry of crl.entries) {
      const serial = normaliseSerial(entry.serialNumber);
      entries.set(serial, Object.freeze({ serial, revokedAt: entry.revocationDate, reason: crlReasonOfCode(entry.reason) }));
    }
    const number = crl.getExtension(OID.crlNumber);
    const aki = crl.getExtension(x509.AuthorityKeyIdentifierExtension);
    return Object.freeze({
      der,
      issuer: crl.issuer,
      issuerDer: tbsIssuer(signed.tbs),
      thisUpdate: crl.thisUpdate,
      nextUpdate: crl.nextUpdate,
      crlNumber: number ? readInteger(new Uint8Array(number.value)) : undefined,
      authorityKeyId: aki?.keyId?.toLowerCase(),
      entries,
      signed,
    });
  } catch (error) {
    if (isTesseraError(error)) throw error;
    throw new TesseraError('ERR_PKI_CRL_MALFORMED', `Cannot parse the CRL: ${(error as Error).message}`, {}, { cause: error });
  }
}

/** The entry for `serial` (any hex form), or undefined when the CRL does not list it. */
export function revocationOf(crl: CrlView, serial: string): RevokedEntry | undefined {
  return crl.entries.get(normaliseSerial(serial));
}

/** Checks that `issuer` issued and signed the CRL, and may sign CRLs (RFC 5280 §4.2.1.3 cRLSign). */
export function verifyCrlIssuedBy(crl: CrlView, issuer: CertificateView): void {
  if (!Buffer.from(crl.issuerDer).equals(issuer.subjectDer)) {
    throw new TesseraError('ERR_PKI_SIGNATURE_INVALID', `The CRL of ${crl.issuer} was not issued by ${issuer.subject}`);
  }
  if (issuer.extensions.keyUsage && !issuer.extensions.keyUsage.has('cRLSign')) {
    throw new TesseraError('ERR_PKI_NOT_A_CA', `${issuer.subject} is not allowed to sign CRLs (no cRLSign)`);
  }
  verifySignedParts(crl.signed, issuer.publicKey, `the CRL of ${crl.issuer}`);
}

function crlDer(input: Uint8Array | string): Uint8Array {
  if (isPem(input)) {
    const text = typeof input === 'string' ? input : Buffer.from(input).toString('utf8');
    const first = pemBlocksOf(text, PEM_CRL, 'CRL')[0];
    if (!first) throw new TesseraError('ERR_PKI_CRL_MALFORMED', 'The PEM text holds no X509 CRL block');
    return first;
  }
  if (typeof input === 'string') throw new TesseraError('ERR_PKI_CRL_MALFORMED', 'Expected DER bytes or PEM text');
  return Uint8Array.from(input);
}

/** TBSCertList (RFC 5280 §5.1): [version], signature, issuer, thisUpdate, ... */
function tbsIssuer(tbs: Uint8Array): Uint8Array {
  const children = readDerChildren(readDerElement(tbs, 0, 'ERR_PKI_CRL_MALFORMED'), 'ERR_PKI_CRL_MALFORMED');
  const offset = children[0]?.tag === DER_INTEGER ? 1 : 0;
  const issuer = children[offset + 1];
  if (!issuer) throw new TesseraError('ERR_PKI_CRL_MALFORMED', 'TBSCertList has no issuer');
  return issuer.bytes;
}

function readInteger(der: Uint8Array): bigint {
  const element = readDerElement(der, 0, 'ERR_PKI_CRL_MALFORMED');
  if (element.tag !== DER_INTEGER) throw new TesseraError('ERR_PKI_CRL_MALFORMED', 'cRLNumber is not an INTEGER');
  return BigInt(`0x${Buffer.from(element.content).toString('hex') || '0'}`);
}
