import { verify, type KeyObject } from 'node:crypto';
import { TesseraError } from '../errors/index.js';
import { decodeOid, readDerChildren, readDerElement, DER_BIT_STRING, DER_OID, DER_SEQUENCE, type DerErrorCode } from './der.js';
import { OID } from './oids.js';

export type SignatureHash = 'sha256' | 'sha384' | 'sha512';

/**
 * The signature algorithms a certificate or CRL may use: an allowlist (STYLE.md, after jose),
 * SP 800-78-5 Table 3-3 (RSA PKCS#1 v1.5 and ECDSA with SHA-2). SHA-1, MD5 and anything
 * unknown are refused rather than guessed.
 */
const SIGNATURE_ALGORITHMS: ReadonlyMap<string, { readonly keyType: 'rsa' | 'ec'; readonly hash: SignatureHash }> = new Map([
  [OID.sha256WithRSAEncryption, { keyType: 'rsa', hash: 'sha256' }],
  [OID.sha384WithRSAEncryption, { keyType: 'rsa', hash: 'sha384' }],
  [OID.sha512WithRSAEncryption, { keyType: 'rsa', hash: 'sha512' }],
  [OID.ecdsaWithSHA256, { keyType: 'ec', hash: 'sha256' }],
  [OID.ecdsaWithSHA384, { keyType: 'ec', hash: 'sha384' }],
  [OID.ecdsaWithSHA512, { keyType: 'ec', hash: 'sha512' }],
]);

/** The three parts of any X.509 SIGNED{} structure, as raw bytes (RFC 5280 §4.1 / §5.1). */
export interface SignedParts {
  /** The exact DER of tbsCertificate / tbsCertList: what the signature covers. */
  readonly tbs: Uint8Array;
  readonly algorithmOid: string;
  readonly signature: Uint8Array;
}

export function readSignedParts(der: Uint8Array, what: DerErrorCode): SignedParts {
  const outer = readDerElement(der, 0, what);
  if (outer.tag !== DER_SEQUENCE || outer.bytes.length !== der.length) {
    throw new TesseraError(what, 'Not a single DER SEQUENCE');
  }
  const [tbs, algorithm, signature, ...extra] = readDerChildren(outer, what);
  if (!tbs || !algorithm || !signature || extra.length > 0 || tbs.tag !== DER_SEQUENCE || signature.tag !== DER_BIT_STRING) {
    throw new TesseraError(what, 'Not a SIGNED{} structure (tbs, algorithm, signature)');
  }
  const oid = readDerChildren(algorithm, what)[0];
  if (!oid || oid.tag !== DER_OID) throw new TesseraError(what, 'The signature algorithm has no OID');
  // BIT STRING content starts with the count of unused bits, always 0 for signatures.
  if (signature.content[0] !== 0) throw new TesseraError(what, 'The signature BIT STRING has unused bits');
  return { tbs: tbs.bytes, algorithmOid: decodeOid(oid.content), signature: signature.content.subarray(1) };
}

/** Checks that `key` signed `parts`; throws ERR_PKI_SIGNATURE_INVALID otherwise (fails closed, never returns false). */
export function verifySignedParts(parts: SignedParts, key: KeyObject, what: string): void {
  const algorithm = SIGNATURE_ALGORITHMS.get(parts.algorithmOid);
  if (!algorithm) {
    throw new TesseraError('ERR_PKI_UNSUPPORTED_ALGORITHM', `${what} is signed with ${parts.algorithmOid}, which is not allowed`, {
      algorithm: parts.algorithmOid,
    });
  }
  if (key.asymmetricKeyType !== algorithm.keyType) {
    throw new TesseraError('ERR_PKI_SIGNATURE_INVALID', `${what} names a ${algorithm.keyType} signature but the issuer key is ${key.asymmetricKeyType}`);
  }
  // node:crypto reads ECDSA signatures as DER (dsaEncoding 'der'), the X.509 form; RSA defaults to PKCS#1 v1.5.
  let ok = false;
  try {
    ok = verify(algorithm.hash, parts.tbs, key, parts.signature);
  } catch {
    ok = false;
  }
  if (!ok) throw new TesseraError('ERR_PKI_SIGNATURE_INVALID', `The signature on ${what} does not verify with the issuer's key`);
}

/** Hash name for a signature algorithm OID on the allowlist, or undefined. */
export function hashOfSignatureAlgorithm(oid: string): SignatureHash | undefined {
  return SIGNATURE_ALGORITHMS.get(oid)?.hash;
}
