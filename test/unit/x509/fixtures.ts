import { webcrypto } from 'node:crypto';
import { parseCertificate, parseCrl, randomSerial, x509, encodeDerInteger, OID, type CertificateView, type CrlView } from '../../../shared/x509/index.js';

type CryptoKeyPair = webcrypto.CryptoKeyPair;

/** Test PKI built straight on @peculiar/x509, independent of the platform PKI under test elsewhere. */
export const DAY = 86_400_000;
export const T0 = new Date('2027-03-01T12:00:00Z');

export type KeySpec = 'p256' | 'p384' | 'rsa2048';

const keyParams: Record<KeySpec, { gen: webcrypto.EcKeyGenParams | webcrypto.RsaHashedKeyGenParams; sign: { name: string; hash: string } }> = {
  p256: { gen: { name: 'ECDSA', namedCurve: 'P-256' }, sign: { name: 'ECDSA', hash: 'SHA-256' } },
  p384: { gen: { name: 'ECDSA', namedCurve: 'P-384' }, sign: { name: 'ECDSA', hash: 'SHA-384' } },
  rsa2048: {
    gen: { name: 'RSASSA-PKCS1-v1_5', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' },
    sign: { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' },
  },
};

export interface TestCa {
  readonly keys: CryptoKeyPair;
  readonly spec: KeySpec;
  readonly view: CertificateView;
}

export async function keyPair(spec: KeySpec): Promise<CryptoKeyPair> {
  return (await webcrypto.subtle.generateKey(keyParams[spec].gen, true, ['sign', 'verify'])) as CryptoKeyPair;
}

export interface CertOptions {
  name: string;
  spec?: KeySpec;
  issuer?: TestCa;
  ca?: boolean;
  pathLength?: number;
  keyUsage?: number;
  notBefore?: Date;
  notAfter?: Date;
  extra?: x509.Extension[];
  serial?: string;
  /** Override the signature hash (e.g. SHA-1, to test the allowlist). */
  hash?: string;
  omitAki?: boolean;
}

/** A certificate (CA or leaf) signed by `issuer`, or self-signed without one. */
export async function makeCert(options: CertOptions): Promise<TestCa> {
  const spec = options.spec ?? 'p256';
  const keys = await keyPair(spec);
  const ca = options.ca ?? false;
  const extensions: x509.Extension[] = [
    new x509.BasicConstraintsExtension(ca, options.pathLength, true),
    new x509.KeyUsagesExtension(options.keyUsage ?? (ca ? x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign : x509.KeyUsageFlags.digitalSignature), true),
    await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ...(options.extra ?? []),
  ];
  const issuer = options.issuer;
  if (issuer && !options.omitAki && issuer.view.extensions.subjectKeyId) {
    extensions.push(new x509.AuthorityKeyIdentifierExtension(issuer.view.extensions.subjectKeyId));
  }
  const signer = issuer ?? { keys, spec };
  const signingAlgorithm = { ...keyParams[signer.spec].sign, ...(options.hash ? { hash: options.hash } : {}) };
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: options.serial ?? randomSerial(),
    subject: options.name,
    issuer: issuer ? new x509.Name(issuer.view.subjectDer) : options.name,
    notBefore: options.notBefore ?? new Date(T0.getTime() - DAY),
    notAfter: options.notAfter ?? new Date(T0.getTime() + 365 * DAY),
    publicKey: keys.publicKey,
    signingKey: signer.keys.privateKey,
    signingAlgorithm,
    extensions,
  });
  return { keys, spec, view: parseCertificate(new Uint8Array(cert.rawData)) };
}

/** Root -> issuing CA (pathLen 0) -> leaf, all P-256 unless told. */
export async function makeHierarchy(spec: KeySpec = 'p256') {
  const root = await makeCert({ name: 'CN=Test Root', spec, ca: true });
  const issuing = await makeCert({ name: 'CN=Test Issuing', spec, ca: true, pathLength: 0, issuer: root });
  const leaf = await makeCert({ name: 'CN=Card 1', spec, issuer: issuing });
  return { root, issuing, leaf };
}

export async function makeCrl(
  issuer: TestCa,
  options: { entries?: { serial: string; reason?: number; at?: Date }[]; thisUpdate?: Date; nextUpdate?: Date; number?: bigint; signer?: TestCa } = {},
): Promise<CrlView> {
  const signer = options.signer ?? issuer;
  const crl = await x509.X509CrlGenerator.create({
    issuer: new x509.Name(issuer.view.subjectDer),
    thisUpdate: options.thisUpdate ?? new Date(T0.getTime() - 3_600_000),
    nextUpdate: options.nextUpdate ?? new Date(T0.getTime() + DAY),
    extensions: [new x509.Extension(OID.crlNumber, false, encodeDerInteger(options.number ?? 1n))],
    entries: (options.entries ?? []).map((e) => ({ serialNumber: e.serial, revocationDate: e.at ?? new Date(T0.getTime() - 7_200_000), ...(e.reason ? { reason: e.reason } : {}) })),
    signingKey: signer.keys.privateKey,
    signingAlgorithm: keyParams[signer.spec].sign,
  });
  return parseCrl(new Uint8Array(crl.rawData));
}
