import { createPrivateKey, randomUUID, type KeyObject } from 'node:crypto';
import { TesseraError, isTesseraError } from '../../../shared/errors/index.js';
import type { SealedBox } from '../../../shared/secrets/index.js';
import { parseCertificates, requireValidAt, verifyChain, verifySignedParts, type CertificateView } from '../../../shared/x509/index.js';
import type { NewAuthority } from './authority-store.js';
import { caKeyPurpose, keyAlgorithmLabel, publicSpkiOf, webCryptoAlgorithmOf } from './ca-keys.js';

/** What an operator hands over: the council's CA certificate (optionally followed by its chain) and its key. */
export interface CaImportInput {
  /** PEM: the CA certificate first; any further certificates are taken as its chain. */
  readonly certificatePem: string;
  /** PEM private key: PKCS#8, SEC1 or PKCS#1, encrypted if `passphrase` is given. */
  readonly privateKeyPem: string;
  readonly passphrase?: string | undefined;
  /** PEM: more chain certificates up to the root, if not in certificatePem. */
  readonly chainPem?: string | undefined;
}

export interface PreparedImport {
  /** The CA whose key we hold, then its chain up to the self-signed root. */
  readonly path: readonly CertificateView[];
  /** The keyed CA is a self-signed root: the platform then creates its own issuing CA under it. */
  readonly isRoot: boolean;
  readonly privateKey: KeyObject;
}

const invalid = (detail: string, cause?: unknown) => new TesseraError('ERR_PKI_IMPORT_INVALID', detail, {}, cause ? { cause } : undefined);

/**
 * Checks an import before anything is stored: the key opens and matches the certificate, the
 * certificate may sign certificates and CRLs, and the chain reaches a self-signed root with
 * every certificate valid now. The private key is never echoed in an error.
 */
export function prepareImport(input: CaImportInput, now: Date): PreparedImport {
  const certificates = [...parseCertificates(input.certificatePem), ...(input.chainPem ? parseCertificates(input.chainPem) : [])];
  const ca = certificates[0];
  if (!ca) throw invalid('The certificate file holds no certificate');
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey({ key: input.privateKeyPem, format: 'pem', ...(input.passphrase ? { passphrase: input.passphrase } : {}) });
  } catch (cause) {
    throw invalid('The private key cannot be read (wrong format or passphrase)', cause);
  }
  webCryptoAlgorithmOf(privateKey);
  if (!Buffer.from(publicSpkiOf(privateKey)).equals(ca.spki)) throw invalid(`The private key does not belong to ${ca.subject}`);
  const { basicConstraints, keyUsage } = ca.extensions;
  if (!basicConstraints?.ca) throw invalid(`${ca.subject} is not a CA certificate (basicConstraints cA is not set)`);
  if (keyUsage && !(keyUsage.has('keyCertSign') && keyUsage.has('cRLSign'))) {
    throw invalid(`${ca.subject} may not sign both certificates and CRLs (keyUsage needs keyCertSign and cRLSign)`);
  }
  if (basicConstraints.pathLength !== undefined && ca.selfIssued && basicConstraints.pathLength < 1) {
    throw invalid(`${ca.subject} is a root with pathLenConstraint 0: it cannot have an issuing CA under it`);
  }
  try {
    requireValidAt(ca, now);
    const anchors = certificates.filter((c) => c.selfIssued);
    const { path, anchor } = verifyChain(ca, { anchors, intermediates: certificates, at: now, revocation: 'skip' });
    // The root is trusted by being imported, but it must at least be what it claims: self-signed.
    verifySignedParts(anchor.signed, anchor.publicKey, anchor.subject);
    return { path, isRoot: path.length === 1, privateKey };
  } catch (error) {
    if (isTesseraError(error) && error.code !== 'ERR_PKI_IMPORT_INVALID') {
      throw invalid(`The CA chain does not verify up to a self-signed root: ${error.message}`, error);
    }
    throw error;
  }
}

/**
 * Rows for an imported chain: the keyed CA (sealed key), then chain certificates without keys.
 * For an imported root the caller adds a generated issuing CA at position 0.
 */
export function importedAuthorities(prepared: PreparedImport, secrets: SealedBox): NewAuthority[] {
  const pkcs8 = new Uint8Array(prepared.privateKey.export({ format: 'der', type: 'pkcs8' }));
  const offset = prepared.isRoot ? 1 : 0;
  return prepared.path.map((certificate, index) => {
    const id = randomUUID();
    const role = index === prepared.path.length - 1 ? 'root' : index === 0 ? 'issuing' : 'intermediate';
    return {
      id,
      role,
      origin: 'imported',
      chainPosition: index + offset,
      keyAlgorithm: keyAlgorithmLabel(certificate.publicKey),
      certificate,
      sealedKey: index === 0 ? secrets.seal(pkcs8, caKeyPurpose(role, id)) : undefined,
    };
  });
}
