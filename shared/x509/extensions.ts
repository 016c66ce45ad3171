import { TesseraError } from '../errors/index.js';
import { decodeOid, encodeDer, encodeDerOid, readDerChildren, readDerElement, DER_OID, DER_SEQUENCE } from './der.js';
import { x509 } from './peculiar.js';
import { OID } from './oids.js';

/** RFC 5280 §4.2.1.3 KeyUsage bits by name. */
export type KeyUsageName =
  | 'digitalSignature'
  | 'nonRepudiation'
  | 'keyEncipherment'
  | 'dataEncipherment'
  | 'keyAgreement'
  | 'keyCertSign'
  | 'cRLSign'
  | 'encipherOnly'
  | 'decipherOnly';

const KEY_USAGE_FLAGS: readonly [KeyUsageName, number][] = [
  ['digitalSignature', x509.KeyUsageFlags.digitalSignature],
  ['nonRepudiation', x509.KeyUsageFlags.nonRepudiation],
  ['keyEncipherment', x509.KeyUsageFlags.keyEncipherment],
  ['dataEncipherment', x509.KeyUsageFlags.dataEncipherment],
  ['keyAgreement', x509.KeyUsageFlags.keyAgreement],
  ['keyCertSign', x509.KeyUsageFlags.keyCertSign],
  ['cRLSign', x509.KeyUsageFlags.cRLSign],
  ['encipherOnly', x509.KeyUsageFlags.encipherOnly],
  ['decipherOnly', x509.KeyUsageFlags.decipherOnly],
];

/** The names in a subjectAltName we act on; other name forms are counted, not interpreted. */
export interface AltNames {
  readonly uris: readonly string[];
  readonly emails: readonly string[];
  readonly dnsNames: readonly string[];
  /** otherName type OIDs present (e.g. FASC-N 2.16.840.1.101.3.6.6, UPN 1.3.6.1.4.1.311.20.2.3). */
  readonly otherNameTypes: readonly string[];
}

/** The extensions Tessera reads, decoded once. Absent extensions are undefined, not empty. */
export interface CertificateExtensions {
  readonly keyUsage: ReadonlySet<KeyUsageName> | undefined;
  readonly extendedKeyUsage: readonly string[] | undefined;
  readonly basicConstraints: { readonly ca: boolean; readonly pathLength: number | undefined } | undefined;
  readonly subjectAltName: AltNames | undefined;
  readonly policies: readonly string[] | undefined;
  readonly crlDistributionPoints: readonly string[] | undefined;
  /** Hex, lower case. */
  readonly subjectKeyId: string | undefined;
  readonly authorityKeyId: string | undefined;
  /** OIDs of every extension marked critical. */
  readonly critical: readonly string[];
}

export function readExtensions(cert: x509.X509Certificate): CertificateExtensions {
  const keyUsage = cert.getExtension(x509.KeyUsagesExtension);
  const eku = cert.getExtension(x509.ExtendedKeyUsageExtension);
  const basic = cert.getExtension(x509.BasicConstraintsExtension);
  const san = cert.getExtension(OID.subjectAltName);
  const policies = cert.getExtension(OID.certificatePolicies);
  const cdp = cert.getExtension(x509.CRLDistributionPointsExtension);
  const ski = cert.getExtension(x509.SubjectKeyIdentifierExtension);
  const aki = cert.getExtension(x509.AuthorityKeyIdentifierExtension);
  return {
    keyUsage: keyUsage ? new Set(KEY_USAGE_FLAGS.filter(([, flag]) => keyUsage.usages & flag).map(([name]) => name)) : undefined,
    extendedKeyUsage: eku ? Array.from(eku.usages, String) : undefined,
    basicConstraints: basic ? { ca: basic.ca, pathLength: basic.pathLength } : undefined,
    subjectAltName: san ? readAltNames(new Uint8Array(san.value)) : undefined,
    policies: policies ? readPolicyOids(new Uint8Array(policies.value)) : undefined,
    crlDistributionPoints: cdp ? distributionPointUris(cdp) : undefined,
    subjectKeyId: ski?.keyId.toLowerCase(),
    authorityKeyId: aki?.keyId?.toLowerCase(),
    critical: Array.from(cert.extensions.filter((e) => e.critical), (e) => e.type),
  };
}

function distributionPointUris(cdp: x509.CRLDistributionPointsExtension): string[] {
  const uris: string[] = [];
  for (const point of cdp.distributionPoints) {
    for (const name of point.distributionPoint?.fullName ?? []) {
      if (name.uniformResourceIdentifier) uris.push(name.uniformResourceIdentifier);
    }
  }
  return uris;
}

/**
 * GeneralNames (RFC 5280 §4.2.1.6) read directly: @peculiar/x509 throws on otherName forms
 * such as the FASC-N that federal PIV certificates carry, and we must still read their URIs.
 */
export function readAltNames(value: Uint8Array): AltNames {
  const uris: string[] = [];
  const emails: string[] = [];
  const dnsNames: string[] = [];
  const otherNameTypes: string[] = [];
  const sequence = readDerElement(value, 0, 'ERR_PKI_CERT_MALFORMED');
  if (sequence.tag !== DER_SEQUENCE) throw new TesseraError('ERR_PKI_CERT_MALFORMED', 'subjectAltName is not a SEQUENCE');
  for (const name of readDerChildren(sequence, 'ERR_PKI_CERT_MALFORMED')) {
    const text = () => Buffer.from(name.content).toString('latin1');
    switch (name.tag) {
      case 0x81: emails.push(text()); break; // [1] rfc822Name, IA5String
      case 0x82: dnsNames.push(text()); break; // [2] dNSName
      case 0x86: uris.push(text()); break; // [6] uniformResourceIdentifier
      case 0xa0: {
        // [0] otherName: SEQUENCE { type-id OID, [0] EXPLICIT value }, implicitly tagged
        const typeId = readDerElement(name.content, 0, 'ERR_PKI_CERT_MALFORMED');
        otherNameTypes.push(decodeOid(typeId.content));
        break;
      }
      default: break;
    }
  }
  return { uris, emails, dnsNames, otherNameTypes };
}

/** certificatePolicies (RFC 5280 §4.2.1.4): SEQUENCE OF PolicyInformation { policyIdentifier, qualifiers? }. */
export function readPolicyOids(value: Uint8Array): string[] {
  const sequence = readDerElement(value, 0, 'ERR_PKI_CERT_MALFORMED');
  return readDerChildren(sequence, 'ERR_PKI_CERT_MALFORMED').map((info) => {
    const id = readDerChildren(info, 'ERR_PKI_CERT_MALFORMED')[0];
    if (!id || id.tag !== DER_OID) throw new TesseraError('ERR_PKI_CERT_MALFORMED', 'PolicyInformation without an OID');
    return decodeOid(id.content);
  });
}

/** The certificatePolicies extension value for `oids`, written here so 128-bit UUID arcs survive. */
export function certificatePoliciesExtension(oids: readonly string[], critical = false): x509.Extension {
  const infos = oids.map((oid) => encodeDer(DER_SEQUENCE, encodeDerOid(oid)));
  return new x509.Extension(OID.certificatePolicies, critical, encodeDer(DER_SEQUENCE, concat(infos)));
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  return Uint8Array.from(Buffer.concat(parts));
}
