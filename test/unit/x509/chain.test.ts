import { expect } from 'chai';
import type { TesseraError } from '../../../shared/errors/index.js';
import { parseCertificate, verifyChain, x509, type ChainOptions, type CertificateView } from '../../../shared/x509/index.js';
import { DAY, makeCert, makeCrl, makeHierarchy, T0 } from './fixtures.js';

function failure(leaf: CertificateView, options: ChainOptions): TesseraError {
  try {
    verifyChain(leaf, options);
  } catch (error) {
    return error as TesseraError;
  }
  throw new Error('expected the chain to fail');
}

describe('x509: chain verification', () => {
  let h: Awaited<ReturnType<typeof makeHierarchy>>;
  let base: ChainOptions;
  before(async () => {
    h = await makeHierarchy();
    base = { anchors: [h.root.view], intermediates: [h.issuing.view], at: T0, revocation: 'skip' };
  });

  it('builds leaf -> issuing -> root and returns the path and anchor', () => {
    const chain = verifyChain(h.leaf.view, base);
    expect(chain.path.map((c) => c.subject)).to.deep.equal(['CN=Card 1', 'CN=Test Issuing', 'CN=Test Root']);
    expect(chain.anchor).to.equal(h.root.view);
  });

  it('accepts an issuing CA as the anchor (a federation trust limited to one issuer)', () => {
    const chain = verifyChain(h.leaf.view, { ...base, anchors: [h.issuing.view], intermediates: [] });
    expect(chain.path).to.have.length(2);
  });

  it('verifies RSA chains too', async () => {
    const rsa = await makeHierarchy('rsa2048');
    expect(verifyChain(rsa.leaf.view, { ...base, anchors: [rsa.root.view], intermediates: [rsa.issuing.view] }).path).to.have.length(3);
  });

  it('fails without the intermediate, or against another root', async () => {
    expect(failure(h.leaf.view, { ...base, intermediates: [] }).code).to.equal('ERR_PKI_CHAIN_UNTRUSTED');
    const other = await makeHierarchy();
    expect(failure(h.leaf.view, { ...base, anchors: [other.root.view] }).code).to.equal('ERR_PKI_CHAIN_UNTRUSTED');
  });

  it('fails on a forged signature: same issuer name and key id, different key', async () => {
    const impostor = await makeCert({ name: 'CN=Test Issuing', ca: true, pathLength: 0, issuer: h.root });
    const forged = await makeCert({ name: 'CN=Card 1', issuer: impostor, omitAki: true });
    expect(failure(forged.view, base).code).to.equal('ERR_PKI_SIGNATURE_INVALID');
  });

  it('fails on a tampered certificate body', () => {
    const der = Uint8Array.from(h.leaf.view.der);
    const at = Buffer.from(der).indexOf(Buffer.from('Card 1'));
    der[at] = 'X'.charCodeAt(0);
    expect(failure(parseCertificate(der), base).code).to.equal('ERR_PKI_SIGNATURE_INVALID');
  });

  it('checks validity of every certificate in the path at the given time', async () => {
    expect(failure(h.leaf.view, { ...base, at: new Date(T0.getTime() + 400 * DAY) }).code).to.equal('ERR_PKI_CERT_EXPIRED');
    expect(failure(h.leaf.view, { ...base, at: new Date(T0.getTime() - 2 * DAY) }).code).to.equal('ERR_PKI_CERT_NOT_YET_VALID');
    const shortIssuing = await makeCert({ name: 'CN=Short', ca: true, issuer: h.root, notAfter: new Date(T0.getTime() + 10 * DAY) });
    const leaf = await makeCert({ name: 'CN=Long leaf', issuer: shortIssuing });
    const e = failure(leaf.view, { ...base, intermediates: [shortIssuing.view], at: new Date(T0.getTime() + 20 * DAY) });
    expect(e.code).to.equal('ERR_PKI_CERT_EXPIRED');
    expect(e.message).to.include('CN=Short');
  });

  it('refuses an issuer that is not a CA, or may not sign certificates', async () => {
    const notCa = await makeCert({ name: 'CN=Not a CA', issuer: h.root, keyUsage: x509.KeyUsageFlags.keyCertSign });
    const leaf1 = await makeCert({ name: 'CN=a', issuer: notCa });
    expect(failure(leaf1.view, { ...base, intermediates: [notCa.view] }).code).to.equal('ERR_PKI_NOT_A_CA');
    const noCertSign = await makeCert({ name: 'CN=No certSign', ca: true, issuer: h.root, keyUsage: x509.KeyUsageFlags.cRLSign });
    const leaf2 = await makeCert({ name: 'CN=b', issuer: noCertSign });
    expect(failure(leaf2.view, { ...base, intermediates: [noCertSign.view] }).code).to.equal('ERR_PKI_NOT_A_CA');
  });

  it('enforces pathLenConstraint and the maximum path length', async () => {
    const sub = await makeCert({ name: 'CN=Sub under pathLen 0', ca: true, issuer: h.issuing });
    const leaf = await makeCert({ name: 'CN=c', issuer: sub });
    expect(failure(leaf.view, { ...base, intermediates: [h.issuing.view, sub.view] }).code).to.equal('ERR_PKI_PATH_TOO_LONG');
    expect(failure(h.leaf.view, { ...base, maxLength: 2 }).code).to.equal('ERR_PKI_PATH_TOO_LONG');
  });

  it('refuses a certificate with an unknown critical extension', async () => {
    const leaf = await makeCert({ name: 'CN=d', issuer: h.issuing, extra: [new x509.Extension('1.3.6.1.4.1.99999.1', true, new Uint8Array([5, 0]))] });
    expect(failure(leaf.view, base).code).to.equal('ERR_PKI_UNKNOWN_CRITICAL_EXTENSION');
  });

  it('refuses signature algorithms off the allowlist (ECDSA with SHA-1)', async () => {
    const leaf = await makeCert({ name: 'CN=sha1', issuer: h.issuing, hash: 'SHA-1' });
    expect(leaf.view.signed.algorithmOid).to.equal('1.2.840.10045.4.1');
    const e = failure(leaf.view, base);
    expect(e.code).to.equal('ERR_PKI_UNSUPPORTED_ALGORITHM');
    expect(e.extensions).to.include({ algorithm: '1.2.840.10045.4.1' });
  });

  describe('with revocation required', () => {
    it('passes with a current CRL that does not list the certificate', async () => {
      const crl = await makeCrl(h.issuing, { entries: [{ serial: '7a' }] });
      const rootCrl = await makeCrl(h.root);
      expect(verifyChain(h.leaf.view, { ...base, revocation: 'require', crls: [crl, rootCrl] }).path).to.have.length(3);
    });

    it('fails closed without a CRL for each issuer', async () => {
      const crl = await makeCrl(h.issuing);
      const e = failure(h.leaf.view, { ...base, revocation: 'require', crls: [crl] });
      expect(e.code).to.equal('ERR_PKI_CRL_MISSING');
      expect(e.message).to.include('CN=Test Root');
    });

    it('fails when the certificate is listed, with the reason', async () => {
      const crl = await makeCrl(h.issuing, { entries: [{ serial: h.leaf.view.serial, reason: x509.X509CrlReason.keyCompromise }] });
      const e = failure(h.leaf.view, { ...base, revocation: 'require', crls: [crl, await makeCrl(h.root)] });
      expect(e.code).to.equal('ERR_PKI_CERT_REVOKED');
      expect(e.extensions).to.include({ serial: h.leaf.view.serial, reason: 'keyCompromise' });
    });

    it('fails on a CRL past its nextUpdate', async () => {
      const crl = await makeCrl(h.issuing, { nextUpdate: new Date(T0.getTime() - 1000) });
      expect(failure(h.leaf.view, { ...base, revocation: 'require', crls: [crl, await makeCrl(h.root)] }).code).to.equal('ERR_PKI_CRL_EXPIRED');
    });

    it('ignores a CRL signed by someone else under the issuer name', async () => {
      const impostor = await makeCert({ name: 'CN=Test Issuing', ca: true });
      const forged = await makeCrl(h.issuing, { signer: impostor });
      expect(failure(h.leaf.view, { ...base, revocation: 'require', crls: [forged, await makeCrl(h.root)] }).code).to.equal('ERR_PKI_CRL_MISSING');
    });
  });
});
