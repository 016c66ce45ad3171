import { createHash } from 'node:crypto';
import { expect } from 'chai';
import { CertificateCache, encodeDer, encodeDerOid, OID, parseCertificate, parseCertificates, readAltNames, toPem, x509 } from '../../../shared/x509/index.js';
import { TesseraError } from '../../../shared/errors/index.js';
import { makeCert, makeHierarchy } from './fixtures.js';

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    return (error as TesseraError).code;
  }
  return undefined;
}

describe('x509: certificate view', () => {
  it('parses DER and PEM into the same view, with names, serial, validity and a node:crypto key', async () => {
    const { issuing, leaf } = await makeHierarchy();
    const fromPem = parseCertificate(toPem(leaf.view.der, 'CERTIFICATE'));
    expect(fromPem.fingerprint).to.equal(leaf.view.fingerprint);
    expect(fromPem.fingerprint).to.equal(createHash('sha256').update(leaf.view.der).digest('hex'));
    expect(fromPem.subject).to.equal('CN=Card 1');
    expect(fromPem.issuer).to.equal('CN=Test Issuing');
    expect(Buffer.from(fromPem.issuerDer).equals(issuing.view.subjectDer)).to.equal(true);
    expect(fromPem.serial).to.match(/^[0-9a-f]+$/);
    expect(fromPem.publicKey.type).to.equal('public');
    expect(fromPem.keyDescription).to.deep.equal({ type: 'ec', curve: 'P-256' });
    expect(fromPem.selfIssued).to.equal(false);
    expect(Object.isFrozen(fromPem)).to.equal(true);
  });

  it('describes RSA keys by size and reads key usage, basic constraints and key identifiers', async () => {
    const ca = await makeCert({ name: 'CN=RSA CA', spec: 'rsa2048', ca: true, pathLength: 2 });
    expect(ca.view.keyDescription).to.deep.equal({ type: 'rsa', bits: 2048 });
    expect([...ca.view.extensions.keyUsage!]).to.have.members(['keyCertSign', 'cRLSign']);
    expect(ca.view.extensions.basicConstraints).to.deep.equal({ ca: true, pathLength: 2 });
    expect(ca.view.extensions.subjectKeyId).to.match(/^[0-9a-f]{40}$/);
    expect(ca.view.extensions.critical).to.have.members([OID.basicConstraints, OID.keyUsage]);
    expect(ca.view.selfIssued).to.equal(true);
  });

  it('reads SAN URIs, policies (UUID arcs too), EKU and CRL distribution points', async () => {
    const policy = '2.25.37817403901354048456680238027051593416.1.1';
    const { issuing } = await makeHierarchy();
    const leaf = await makeCert({
      name: 'CN=x',
      issuer: issuing,
      extra: [
        new x509.SubjectAlternativeNameExtension([{ type: 'url', value: 'urn:uuid:0d4f1b3c-1111-4222-8333-944455556666' }, { type: 'email', value: 'a@example.org' }]),
        new x509.Extension(OID.certificatePolicies, false, encodeDer(0x30, encodeDer(0x30, encodeDerOid(policy)))),
        new x509.ExtendedKeyUsageExtension([OID.pivCardAuth], true),
        new x509.CRLDistributionPointsExtension(['http://crl.example/v1/pki/crl']),
      ],
    });
    const ext = leaf.view.extensions;
    expect(ext.subjectAltName?.uris).to.deep.equal(['urn:uuid:0d4f1b3c-1111-4222-8333-944455556666']);
    expect(ext.subjectAltName?.emails).to.deep.equal(['a@example.org']);
    expect(ext.policies).to.deep.equal([policy]);
    expect(ext.extendedKeyUsage).to.deep.equal([OID.pivCardAuth]);
    expect(Array.isArray(ext.extendedKeyUsage)).to.equal(true);
    expect(ext.crlDistributionPoints).to.deep.equal(['http://crl.example/v1/pki/crl']);
    expect(ext.authorityKeyId).to.equal(issuing.view.extensions.subjectKeyId);
  });

  it('leaves absent extensions undefined rather than empty', async () => {
    const { leaf } = await makeHierarchy();
    expect(leaf.view.extensions.subjectAltName).to.equal(undefined);
    expect(leaf.view.extensions.policies).to.equal(undefined);
    expect(leaf.view.extensions.extendedKeyUsage).to.equal(undefined);
  });

  it('reads SAN otherName forms (a federal FASC-N) without failing, and still finds the URI', () => {
    // SEQUENCE { [0] { OID 2.16.840.1.101.3.6.6, [0] { OCTET STRING } }, [6] "urn:uuid:..." }
    const fascn = encodeDer(0xa0, Buffer.concat([encodeDerOid('2.16.840.1.101.3.6.6'), encodeDer(0xa0, encodeDer(0x04, new Uint8Array(25)))]));
    const uri = encodeDer(0x86, Buffer.from('urn:uuid:0d4f1b3c-1111-4222-8333-944455556666'));
    const names = readAltNames(encodeDer(0x30, Buffer.concat([fascn, uri])));
    expect(names.otherNameTypes).to.deep.equal(['2.16.840.1.101.3.6.6']);
    expect(names.uris).to.deep.equal(['urn:uuid:0d4f1b3c-1111-4222-8333-944455556666']);
  });

  it('refuses malformed input with ERR_PKI_CERT_MALFORMED', async () => {
    const { leaf } = await makeHierarchy();
    expect(codeOf(() => parseCertificate(new Uint8Array([1, 2, 3])))).to.equal('ERR_PKI_CERT_MALFORMED');
    expect(codeOf(() => parseCertificate(leaf.view.der.subarray(0, leaf.view.der.length - 1)))).to.equal('ERR_PKI_CERT_MALFORMED');
    expect(codeOf(() => parseCertificate(Uint8Array.from([...leaf.view.der, 0])))).to.equal('ERR_PKI_CERT_MALFORMED');
    expect(codeOf(() => parseCertificate('-----BEGIN X509 CRL-----\nAAAA\n-----END X509 CRL-----\n'))).to.equal('ERR_PKI_CERT_MALFORMED');
    expect(codeOf(() => parseCertificate('not pem'))).to.equal('ERR_PKI_CERT_MALFORMED');
  });

  it('reads every certificate of a PEM bundle in order', async () => {
    const { root, issuing } = await makeHierarchy();
    const bundle = toPem(issuing.view.der, 'CERTIFICATE') + toPem(root.view.der, 'CERTIFICATE');
    expect(parseCertificates(bundle).map((c) => c.subject)).to.deep.equal(['CN=Test Issuing', 'CN=Test Root']);
    expect(parseCertificates(root.view.der)).to.have.length(1);
  });

  it('caches by content: the same bytes give the same view object, and the least recently used is evicted', async () => {
    const { root, issuing, leaf } = await makeHierarchy();
    const cache = new CertificateCache(2);
    const first = cache.view(Uint8Array.from(leaf.view.der));
    expect(cache.view(Uint8Array.from(leaf.view.der))).to.equal(first);
    cache.view(root.view.der);
    cache.view(leaf.view.der); // leaf becomes most recent, root least
    cache.view(issuing.view.der); // evicts root
    expect(cache.size).to.equal(2);
    expect(cache.view(leaf.view.der)).to.equal(first);
    expect(() => cache.view(new Uint8Array([0x30, 0x00]))).to.throw(TesseraError);
    expect(cache.size).to.equal(2);
    expect(() => new CertificateCache(0)).to.throw(RangeError);
  });
});
