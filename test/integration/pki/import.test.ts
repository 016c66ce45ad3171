import { createPrivateKey, webcrypto } from 'node:crypto';
import { expect } from 'chai';
import { OID, parseCertificates, parseCrl, toPem, verifyChain, verifyCrlIssuedBy, x509 } from '../../../shared/x509/index.js';
import { makeCert, type KeySpec, type TestCa } from '../../unit/x509/fixtures.js';
import { cardKey, DAY, newCardId, openssl, opensslAvailable, pkiFixture, yearsFromNow, type PkiFixture } from './pki-fixture.js';

async function keyPem(ca: TestCa, passphrase?: string): Promise<string> {
  const pkcs8 = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', ca.keys.privateKey));
  const key = createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' });
  return String(key.export(passphrase ? { format: 'pem', type: 'pkcs8', cipher: 'aes-256-cbc', passphrase } : { format: 'pem', type: 'pkcs8' }));
}

const pem = (...cas: TestCa[]) => cas.map((c) => toPem(c.view.der, 'CERTIFICATE')).join('');

describe('PKI: importing an existing CA', function () {
  // The first suite of a run creates the shared database (PGlite: all migrations), which can exceed mocha's 30 s on a busy machine.
  this.timeout(120_000);
  let f: PkiFixture;
  const now = () => f.clock.now();
  const valid = () => ({ notBefore: new Date(now().getTime() - DAY), notAfter: new Date(now().getTime() + 3650 * DAY) });
  async function council(spec: KeySpec = 'p384') {
    const root = await makeCert({ name: 'C=GB, O=Example Council, CN=Example Council Root CA', spec, ca: true, ...valid() });
    const intermediate = await makeCert({ name: 'C=GB, O=Example Council, CN=Example Council Policy CA', spec, ca: true, pathLength: 1, issuer: root, ...valid() });
    const issuing = await makeCert({ name: 'C=GB, O=Example Council, CN=Example Council Card CA', spec, ca: true, pathLength: 0, issuer: intermediate, ...valid() });
    return { root, intermediate, issuing };
  }

  beforeEach(async () => {
    f = await pkiFixture();
  });
  after(() => f?.dispose());

  it('refuses to replace the existing CA unless asked', async () => {
    const { root } = await council();
    const error = await f.pki.importAuthority({ certificatePem: pem(root), privateKeyPem: await keyPem(root) }).then(() => undefined, (e: { code: string }) => e.code);
    expect(error).to.equal('ERR_PKI_CA_EXISTS');
  });

  it('imports a self-signed root and creates a fresh issuing CA under it; the old hierarchy is retired', async () => {
    const old = await f.pki.authorities();
    const { root } = await council();
    const chain = await f.pki.importAuthority({ certificatePem: pem(root), privateKeyPem: await keyPem(root) }, { replace: true });
    expect(chain.map((a) => [a.role, a.origin])).to.deep.equal([['issuing', 'generated'], ['root', 'imported']]);
    expect(chain[1]!.certificate.fingerprint).to.equal(root.view.fingerprint);
    const retired: { status: string }[] = await f.db.knex('pki_authorities').whereIn('id', old.map((a) => a.id)).select('status');
    expect(retired.map((r) => r.status)).to.deep.equal(['retired', 'retired']);
    const card = await f.pki.issueCardCertificate({ profile: 'piv-auth', publicKey: cardKey('p256'), cardId: newCardId(), cardholderRef: 'CH-1', notAfter: yearsFromNow(f.clock, 2) });
    const path = verifyChain(card.certificate, { anchors: [root.view], intermediates: [chain[0]!.certificate], at: now(), revocation: 'skip' }).path;
    expect(path.map((c) => c.subject)).to.deep.equal(['O=Demo Council, OU=PIV Authentication, CN=CH-1', 'O=Demo Council, CN=Demo Council Tessera Card Issuing CA', 'C=GB, O=Example Council, CN=Example Council Root CA']);
    expect((await f.pki.status()).crl?.crlNumber).to.equal(1n);
  });

  it('imports an issuing CA with its chain (RSA), signs cards and CRLs with it, and serves the whole chain', async () => {
    const { root, intermediate, issuing } = await council('rsa2048');
    const chain = await f.pki.importAuthority({ certificatePem: pem(issuing), chainPem: pem(root, intermediate), privateKeyPem: await keyPem(issuing) }, { replace: true });
    expect(chain.map((a) => [a.role, a.origin, a.sealedKey !== undefined])).to.deep.equal([
      ['issuing', 'imported', true],
      ['intermediate', 'imported', false],
      ['root', 'imported', false],
    ]);
    const served = parseCertificates(await f.pki.chainPem());
    expect(served.map((c) => c.fingerprint)).to.deep.equal([issuing, intermediate, root].map((c) => c.view.fingerprint));
    const card = await f.pki.issueCardCertificate({ profile: 'card-auth', publicKey: cardKey('p256'), cardId: newCardId(), cardholderRef: 'CH-2', notAfter: yearsFromNow(f.clock, 2) });
    expect(card.certificate.signed.algorithmOid).to.equal(OID.sha256WithRSAEncryption);
    expect(card.certificate.issuer).to.equal('C=GB, O=Example Council, CN=Example Council Card CA');
    expect(verifyChain(card.certificate, { anchors: [root.view], intermediates: served, at: now(), revocation: 'skip' }).path).to.have.length(4);
    await f.db.knex.transaction((trx) => f.pki.revokeCertificate(trx, card.serial, 'superseded'));
    const crl = parseCrl((await f.pki.currentCrl()).der);
    verifyCrlIssuedBy(crl, issuing.view);
    expect(crl.entries.get(card.serial)?.reason).to.equal('superseded');
    if (await opensslAvailable()) {
      const result = await openssl(['verify', '-crl_check', '-CAfile', '{chain.pem}', '-CRLfile', '{crl.pem}', '{cert.pem}'], {
        'chain.pem': await f.pki.chainPem(),
        'crl.pem': (await f.pki.currentCrl()).pem,
        'cert.pem': card.pem,
      });
      expect(result.stdout + result.stderr).to.include('certificate revoked');
    }
  });

  it('opens an encrypted key with its passphrase and refuses a wrong one', async () => {
    const { root } = await council();
    const encrypted = await keyPem(root, 'correct horse');
    const wrong = await f.pki
      .importAuthority({ certificatePem: pem(root), privateKeyPem: encrypted, passphrase: 'battery staple' }, { replace: true })
      .then(() => undefined, (e: { code: string; message: string }) => e);
    expect(wrong?.code).to.equal('ERR_PKI_IMPORT_INVALID');
    expect(wrong?.message).to.not.include('PRIVATE KEY');
    const chain = await f.pki.importAuthority({ certificatePem: pem(root), privateKeyPem: encrypted, passphrase: 'correct horse' }, { replace: true });
    expect(chain[1]!.certificate.fingerprint).to.equal(root.view.fingerprint);
  });

  it('refuses what cannot serve as the platform CA, and leaves the current CA in place', async () => {
    const before = (await f.pki.authorities()).map((a) => a.id);
    const { root, intermediate, issuing } = await council();
    const other = await council();
    const leaf = await makeCert({ name: 'CN=Not a CA', issuer: issuing, ...valid() });
    const noCrlSign = await makeCert({ name: 'CN=No CRL', ca: true, keyUsage: x509.KeyUsageFlags.keyCertSign, ...valid() });
    const expired = await makeCert({ name: 'CN=Old', ca: true, notBefore: new Date(now().getTime() - 900 * DAY), notAfter: new Date(now().getTime() - DAY) });
    const rootPathZero = await makeCert({ name: 'CN=Root pathLen 0', ca: true, pathLength: 0, ...valid() });
    const cases: [string, Parameters<PkiFixture['pki']['importAuthority']>[0]][] = [
      ['key of another CA', { certificatePem: pem(root), privateKeyPem: await keyPem(other.root) }],
      ['not a CA', { certificatePem: pem(leaf), chainPem: pem(issuing, intermediate, root), privateKeyPem: await keyPem(leaf) }],
      ['no cRLSign', { certificatePem: pem(noCrlSign), privateKeyPem: await keyPem(noCrlSign) }],
      ['expired', { certificatePem: pem(expired), privateKeyPem: await keyPem(expired) }],
      ['chain without its root', { certificatePem: pem(issuing, intermediate), privateKeyPem: await keyPem(issuing) }],
      ['chain of another council', { certificatePem: pem(issuing), chainPem: pem(other.intermediate, other.root), privateKeyPem: await keyPem(issuing) }],
      ['root that allows no CA below it', { certificatePem: pem(rootPathZero), privateKeyPem: await keyPem(rootPathZero) }],
      ['no certificate', { certificatePem: 'nothing here', privateKeyPem: await keyPem(root) }],
      ['not a key', { certificatePem: pem(root), privateKeyPem: '-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n' }],
    ];
    for (const [name, input] of cases) {
      const code = await f.pki.importAuthority(input, { replace: true }).then(() => 'imported', (e: { code: string }) => e.code);
      expect(code, name).to.be.oneOf(['ERR_PKI_IMPORT_INVALID', 'ERR_PKI_CERT_MALFORMED']);
    }
    expect((await f.pki.authorities()).map((a) => a.id)).to.deep.equal(before);
  });
});
