import { randomUUID, type webcrypto } from 'node:crypto';
import type { SealedBox } from '../../../shared/secrets/index.js';
import { parseCertificate, type CertificateView } from '../../../shared/x509/index.js';
import { buildIssuingCertificate, buildRootCertificate, issuingCaName, rootCaName } from './ca-certificates.js';
import { caKeyPurpose, exportPkcs8, generateCaKeyPair, ISSUING_KEY, ROOT_KEY } from './ca-keys.js';
import type { NewAuthority } from './authority-store.js';

export interface RootWithKey {
  readonly certificate: CertificateView;
  readonly key: webcrypto.CryptoKey;
  /** Position of the root above the issuing CA; 1 when the issuing CA sits right under it. */
  readonly chainPosition: number;
}

/** A fresh root (P-384) and issuing CA (P-256), keys sealed to their rows. Nothing is stored here. */
export async function generateHierarchy(params: { organisation: string; now: Date; secrets: SealedBox }): Promise<NewAuthority[]> {
  const keys = await generateCaKeyPair(ROOT_KEY);
  const certificate = parseCertificate(await buildRootCertificate({ keys, name: rootCaName(params.organisation), now: params.now }));
  const id = randomUUID();
  const root: NewAuthority = {
    id,
    role: 'root',
    origin: 'generated',
    chainPosition: 1,
    keyAlgorithm: `ec ${ROOT_KEY.namedCurve}`,
    certificate,
    sealedKey: params.secrets.seal(await exportPkcs8(keys.privateKey), caKeyPurpose('root', id)),
  };
  const issuing = await generateIssuingCa({ ...params, root: { certificate, key: keys.privateKey, chainPosition: 1 } });
  return [issuing, root];
}

/** A fresh issuing CA under a root whose key the platform holds (generated or imported). */
export async function generateIssuingCa(params: { organisation: string; now: Date; secrets: SealedBox; root: RootWithKey }): Promise<NewAuthority> {
  const keys = await generateCaKeyPair(ISSUING_KEY);
  const der = await buildIssuingCertificate({
    issuer: params.root.certificate,
    issuerKey: params.root.key,
    publicKey: keys.publicKey,
    name: issuingCaName(params.organisation),
    now: params.now,
  });
  const id = randomUUID();
  return {
    id,
    role: 'issuing',
    origin: 'generated',
    chainPosition: 0,
    keyAlgorithm: `ec ${ISSUING_KEY.namedCurve}`,
    certificate: parseCertificate(der),
    sealedKey: params.secrets.seal(await exportPkcs8(keys.privateKey), caKeyPurpose('issuing', id)),
  };
}
