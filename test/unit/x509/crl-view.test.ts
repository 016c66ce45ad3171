import { expect } from 'chai';
import type { TesseraError } from '../../../shared/errors/index.js';
import { parseCrl, revocationOf, toPem, verifyCrlIssuedBy, x509 } from '../../../shared/x509/index.js';
import { makeCert, makeCrl, makeHierarchy, T0 } from './fixtures.js';

describe('x509: CRL view', () => {
  it('reads issuer, dates, cRLNumber and entries with their reasons, keyed by normalised serial', async () => {
    const { issuing } = await makeHierarchy();
    const crl = await makeCrl(issuing, {
      number: 42n,
      entries: [
        { serial: '4a01', reason: x509.X509CrlReason.keyCompromise },
        { serial: '4a02', reason: x509.X509CrlReason.certificateHold },
        { serial: '4a03' },
      ],
    });
    expect(crl.issuer).to.equal('CN=Test Issuing');
    expect(crl.crlNumber).to.equal(42n);
    expect(crl.nextUpdate?.getTime()).to.be.greaterThan(T0.getTime());
    expect(crl.entries.size).to.equal(3);
    expect(revocationOf(crl, '4A01')?.reason).to.equal('keyCompromise');
    expect(revocationOf(crl, '004a02')?.reason).to.equal('certificateHold');
    expect(revocationOf(crl, '4a03')?.reason).to.equal('unspecified');
    expect(revocationOf(crl, '4a04')).to.equal(undefined);
  });

  it('parses PEM with the X509 CRL label', async () => {
    const { issuing } = await makeHierarchy();
    const crl = await makeCrl(issuing);
    expect(parseCrl(toPem(crl.der, 'X509 CRL')).crlNumber).to.equal(1n);
  });

  it('verifies the CRL against its issuer and refuses another issuer or a forged signature', async () => {
    const { root, issuing } = await makeHierarchy();
    const crl = await makeCrl(issuing);
    verifyCrlIssuedBy(crl, issuing.view);
    expect(codeOf(() => verifyCrlIssuedBy(crl, root.view))).to.equal('ERR_PKI_SIGNATURE_INVALID');
    const impostor = await makeCert({ name: 'CN=Test Issuing', ca: true });
    const forged = await makeCrl(issuing, { signer: impostor });
    expect(codeOf(() => verifyCrlIssuedBy(forged, issuing.view))).to.equal('ERR_PKI_SIGNATURE_INVALID');
  });

  it('refuses a CRL from a CA without cRLSign', async () => {
    const noCrlSign = await makeCert({ name: 'CN=No CRL', ca: true, keyUsage: x509.KeyUsageFlags.keyCertSign });
    const crl = await makeCrl(noCrlSign);
    expect(codeOf(() => verifyCrlIssuedBy(crl, noCrlSign.view))).to.equal('ERR_PKI_NOT_A_CA');
  });

  it('refuses malformed CRLs with ERR_PKI_CRL_MALFORMED', () => {
    expect(codeOf(() => parseCrl(new Uint8Array([0x30, 0x03, 1, 2, 3])))).to.equal('ERR_PKI_CRL_MALFORMED');
    expect(codeOf(() => parseCrl('-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n'))).to.equal('ERR_PKI_CRL_MALFORMED');
  });
});

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    return (error as TesseraError).code;
  }
  return undefined;
}
