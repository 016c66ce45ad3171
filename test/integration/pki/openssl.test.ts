import { expect } from 'chai';
import { toPem } from '../../../shared/x509/index.js';
import type { IssuedCardCertificate } from '../../../services/identity/pki/index.js';
import { cardKey, newCardId, openssl, pkiFixture, requireOpenssl, yearsFromNow, type CardKeySpec, type PkiFixture } from './pki-fixture.js';

/**
 * The key check of issue 4: an independent verifier (OpenSSL 3) accepts every certificate the
 * platform issues against the served chain and CRL, and rejects a revoked one. The PKI runs on
 * the real clock here, because OpenSSL checks validity against the system time.
 */
describe('PKI: OpenSSL agrees', function () {
  this.timeout(120_000);
  let f: PkiFixture;
  const issued: Record<string, IssuedCardCertificate> = {};
  before(async function () {
    await requireOpenssl(this);
    f = await pkiFixture();
    for (const profile of ['piv-auth', 'card-auth'] as const) {
      for (const spec of ['rsa2048', 'p256'] as const satisfies readonly CardKeySpec[]) {
        issued[`${profile}/${spec}`] = await f.pki.issueCardCertificate({
          profile,
          publicKey: cardKey(spec),
          cardId: newCardId(),
          cardholderRef: 'CH-000123',
          notAfter: yearsFromNow(f.clock, 5),
        });
      }
    }
  });
  after(() => f?.dispose());

  async function verify(cert: IssuedCardCertificate) {
    const crl = await f.pki.currentCrl();
    return openssl(['verify', '-crl_check', '-CAfile', '{chain.pem}', '-CRLfile', '{crl.pem}', '{cert.pem}'], {
      'chain.pem': await f.pki.chainPem(),
      'crl.pem': crl.pem,
      'cert.pem': cert.pem,
    });
  }

  for (const name of ['piv-auth/rsa2048', 'piv-auth/p256', 'card-auth/rsa2048', 'card-auth/p256']) {
    it(`openssl verify -crl_check accepts the ${name} certificate`, async () => {
      const result = await verify(issued[name]!);
      expect(result.stdout + result.stderr).to.match(/: OK\s*$/);
      expect(result.code).to.equal(0);
    });
  }

  it('openssl shows the profile as issued (subject, SAN URN, policy, CRL URL, EKU)', async () => {
    const cert = issued['card-auth/p256']!;
    const text = await openssl(['x509', '-in', '{cert.pem}', '-noout', '-text'], { 'cert.pem': cert.pem });
    expect(text.stdout).to.include(`URI:urn:uuid:${cert.certificate.extensions.subjectAltName!.uris[0]!.slice(9)}`);
    expect(text.stdout).to.include('Policy: 2.25.37817403901354048456680238027051593416.1.2');
    expect(text.stdout).to.include('URI:http://cards.example.test/v1/pki/crl');
    expect(text.stdout).to.match(/X509v3 Extended Key Usage: critical\s+2\.16\.840\.1\.101\.3\.6\.8/);
  });

  it('after revocation, openssl verify fails with "certificate revoked" and openssl crl shows the serial and reason', async () => {
    const victim = issued['piv-auth/p256']!;
    const bystander = issued['card-auth/p256']!;
    await f.db.knex.transaction((trx) => f.pki.revokeCertificate(trx, victim.serial, 'keyCompromise'));
    const failed = await verify(victim);
    expect(failed.code).to.not.equal(0);
    expect(failed.stdout + failed.stderr).to.include('certificate revoked');
    const still = await verify(bystander);
    expect(still.code).to.equal(0);

    const crl = await f.pki.currentCrl();
    const text = await openssl(['crl', '-in', '{crl.pem}', '-noout', '-text'], { 'crl.pem': crl.pem });
    expect(text.code).to.equal(0);
    expect(text.stdout).to.include(`Serial Number: ${victim.serial.toUpperCase()}`);
    expect(text.stdout).to.match(/CRL Reason Code:\s+Key Compromise/);
    expect(text.stdout).to.match(new RegExp(`X509v3 CRL Number:\\s+${crl.crlNumber.toString()}\\b`));
  });

  it('a suspended card fails with "certificate revoked" (Certificate Hold) and verifies again once reactivated', async () => {
    const held = issued['card-auth/rsa2048']!;
    const cardId = held.certificate.extensions.subjectAltName!.uris[0]!.slice('urn:uuid:'.length);
    await f.db.knex.transaction((trx) => f.pki.revokeCardCertificates(trx, cardId, 'certificateHold'));
    const failed = await verify(held);
    expect(failed.stdout + failed.stderr).to.include('certificate revoked');
    const text = await openssl(['crl', '-in', '{crl.pem}', '-noout', '-text'], { 'crl.pem': (await f.pki.currentCrl()).pem });
    expect(text.stdout).to.match(/CRL Reason Code:\s+Certificate Hold/);
    await f.db.knex.transaction((trx) => f.pki.releaseCardCertificates(trx, cardId));
    expect((await verify(held)).code).to.equal(0);
  });

  it('openssl reads the DER CRL too, and checks its signature against the issuing CA', async () => {
    const crl = await f.pki.currentCrl();
    const [issuing] = await f.pki.authorities();
    const result = await openssl(['crl', '-inform', 'DER', '-in', '{crl.der}', '-CAfile', '{ca.pem}', '-noout'], {
      'crl.der': crl.der,
      'ca.pem': toPem(issuing!.certificate.der, 'CERTIFICATE'),
    });
    expect(result.stderr).to.match(/verify OK/);
  });
});
