import { createHash, createPublicKey, generateKeyPairSync } from 'node:crypto';
import { expect } from 'chai';
import { OID, readDerChildren, readDerElement, verifyChain } from '../../../shared/x509/index.js';
import { TESSERA_POLICY, type CardCertificateProfile } from '../../../services/identity/pki/index.js';
import { cardKey, CRL_URL, DAY, newCardId, pkiFixture, yearsFromNow, type CardKeySpec, type PkiFixture } from './pki-fixture.js';

/** SHA-1 of the subjectPublicKey BIT STRING value, unused-bits byte excluded (RFC 5280 §4.2.1.2 method 1). */
function keyIdOf(spki: Uint8Array): string {
  const [, bitString] = readDerChildren(readDerElement(spki, 0, 'ERR_PKI_KEY_MALFORMED'), 'ERR_PKI_KEY_MALFORMED');
  return createHash('sha1').update(bitString!.content.subarray(1)).digest('hex');
}

const expected: Record<CardCertificateProfile, { slot: string; unit: string; eku: string[]; ekuCritical: boolean; policy: string }> = {
  'piv-auth': { slot: '9A', unit: 'PIV Authentication', eku: [OID.clientAuth, OID.smartcardLogon], ekuCritical: false, policy: TESSERA_POLICY.pivAuthentication },
  'card-auth': { slot: '9E', unit: 'Card Authentication', eku: [OID.pivCardAuth], ekuCritical: true, policy: TESSERA_POLICY.cardAuthentication },
};

describe('PKI: card certificate profiles', function () {
  // The first suite of a run creates the shared database (PGlite: all migrations), which can exceed mocha's 30 s on a busy machine.
  this.timeout(120_000);
  let f: PkiFixture;
  before(async () => {
    f = await pkiFixture();
  });
  after(() => f?.dispose());

  for (const profile of ['piv-auth', 'card-auth'] as const) {
    for (const spec of ['rsa2048', 'p256'] as const satisfies readonly CardKeySpec[]) {
      it(`${profile} (${expected[profile].slot}) with an ${spec} card key carries every field and extension of the profile`, async () => {
        const publicKey = cardKey(spec);
        const cardId = newCardId();
        const cardExpiry = yearsFromNow(f.clock, 5);
        const issued = await f.pki.issueCardCertificate({ profile, publicKey, cardId, cardholderRef: 'CH-000123', notAfter: cardExpiry });
        const cert = issued.certificate;
        const [issuing, root] = await f.pki.authorities();
        const want = expected[profile];

        expect(issued.slot).to.equal(want.slot);
        expect(issued.serial).to.equal(cert.serial).and.match(/^[4-7][0-9a-f]{31}$/);
        // Subject: organisation, the slot's unit, and the cardholder reference (9A) or only the card UUID (9E).
        const cn = profile === 'piv-auth' ? 'CH-000123' : cardId;
        expect(cert.subject).to.equal(`O=Demo Council, OU=${want.unit}, CN=${cn}`);
        if (profile === 'card-auth') expect(cert.subject).to.not.include('CH-000123');
        expect(cert.issuer).to.equal(issuing!.certificate.subject);
        // The card's own key, untouched.
        expect(Buffer.from(cert.spki).equals(publicKey.export({ format: 'der', type: 'spki' }))).to.equal(true);
        // Extensions, one by one.
        const ext = cert.extensions;
        expect([...ext.keyUsage!]).to.deep.equal(['digitalSignature']);
        expect(ext.extendedKeyUsage).to.deep.equal(want.eku);
        expect(ext.basicConstraints).to.deep.equal({ ca: false, pathLength: undefined });
        expect(ext.subjectAltName).to.deep.equal({ uris: [`urn:uuid:${cardId}`], emails: [], dnsNames: [], otherNameTypes: [] });
        expect(ext.policies).to.deep.equal([want.policy]);
        expect(ext.crlDistributionPoints).to.deep.equal([CRL_URL]);
        expect(ext.subjectKeyId).to.equal(keyIdOf(cert.spki));
        expect(ext.authorityKeyId).to.equal(issuing!.certificate.extensions.subjectKeyId);
        const critical = [OID.keyUsage, OID.basicConstraints, ...(want.ekuCritical ? [OID.extendedKeyUsage] : [])];
        expect(ext.critical).to.have.members(critical);
        // Signed by the issuing CA with ECDSA P-256 / SHA-256, and chains to the root.
        expect(cert.signed.algorithmOid).to.equal(OID.ecdsaWithSHA256);
        expect(verifyChain(cert, { anchors: [root!.certificate], intermediates: [issuing!.certificate], at: f.clock.now(), revocation: 'skip' }).path).to.have.length(3);
        // Valid from (about) now until exactly the card's expiry (second precision).
        expect(cert.notBefore.getTime()).to.be.at.most(f.clock.now().getTime());
        expect(cert.notAfter.getTime()).to.equal(Math.floor(cardExpiry.getTime() / 1000) * 1000);
        // Recorded for revocation.
        const record = await f.pki.certificate(issued.serial);
        expect(record).to.deep.include({ cardId, profile, slot: want.slot, cardholderRef: 'CH-000123', status: 'active', fingerprint: cert.fingerprint });
      });
    }
  }

  it('accepts the card key as SubjectPublicKeyInfo DER as well as a KeyObject', async () => {
    const key = cardKey('p256');
    const issued = await f.pki.issueCardCertificate({
      profile: 'card-auth',
      publicKey: new Uint8Array(key.export({ format: 'der', type: 'spki' })),
      cardId: newCardId(),
      cardholderRef: 'CH-2',
      notAfter: yearsFromNow(f.clock, 1),
    });
    expect(createPublicKey({ key: Buffer.from(issued.certificate.spki), format: 'der', type: 'spki' }).equals(key)).to.equal(true);
  });

  it('caps validity at the issuing CA when the card would outlive it', async () => {
    const [issuing] = await f.pki.authorities();
    const issued = await f.pki.issueCardCertificate({ profile: 'piv-auth', publicKey: cardKey('p256'), cardId: newCardId(), cardholderRef: 'CH-3', notAfter: yearsFromNow(f.clock, 30) });
    expect(issued.certificate.notAfter.getTime()).to.equal(issuing!.certificate.notAfter.getTime());
  });

  it('refuses a card expiry in the past', async () => {
    const error = await f.pki
      .issueCardCertificate({ profile: 'piv-auth', publicKey: cardKey('p256'), cardId: newCardId(), cardholderRef: 'CH-4', notAfter: new Date(f.clock.now().getTime() - DAY) })
      .then(() => undefined, (e: { code: string }) => e);
    expect(error?.code).to.equal('ERR_PKI_VALIDITY');
  });

  it('refuses card keys outside SP 800-78 for these slots (RSA-1024, P-384, Ed25519, e=3)', async () => {
    const keys = [
      generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey,
      generateKeyPairSync('ec', { namedCurve: 'P-384' }).publicKey,
      generateKeyPairSync('ed25519').publicKey,
      generateKeyPairSync('rsa', { modulusLength: 2048, publicExponent: 3 }).publicKey,
    ];
    for (const publicKey of keys) {
      const error = await f.pki
        .issueCardCertificate({ profile: 'card-auth', publicKey, cardId: newCardId(), cardholderRef: 'CH-5', notAfter: yearsFromNow(f.clock, 1) })
        .then(() => undefined, (e: { code: string }) => e);
      expect(error?.code, publicKey.asymmetricKeyType).to.equal('ERR_PKI_UNSUPPORTED_KEY');
    }
  });

  it('refuses a private key, a malformed SPKI, a card id that is not a UUID and a reference with DN specials', async () => {
    const pair = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const base = { profile: 'card-auth' as const, publicKey: pair.publicKey, cardId: newCardId(), cardholderRef: 'CH-6', notAfter: yearsFromNow(f.clock, 1) };
    const codeOf = (request: typeof base | Record<string, unknown>) =>
      f.pki.issueCardCertificate(request as typeof base).then(() => undefined, (e: { code: string }) => e.code);
    expect(await codeOf({ ...base, publicKey: pair.privateKey })).to.equal('ERR_PKI_KEY_MALFORMED');
    expect(await codeOf({ ...base, publicKey: new Uint8Array([0x30, 0x01, 0x00]) })).to.equal('ERR_PKI_KEY_MALFORMED');
    expect(await codeOf({ ...base, cardId: 'card-1' })).to.equal('ERR_VALIDATION');
    expect(await codeOf({ ...base, cardholderRef: 'CN=evil, O=x' })).to.equal('ERR_VALIDATION');
    expect(await codeOf({ ...base, cardholderRef: '' })).to.equal('ERR_VALIDATION');
  });

  it('lists the certificates of a card, and issues inside a caller transaction that can roll back', async () => {
    const cardId = newCardId();
    await f.pki.issueCardCertificate({ profile: 'card-auth', publicKey: cardKey('p256'), cardId, cardholderRef: 'CH-7', notAfter: yearsFromNow(f.clock, 1) });
    await f.db.knex
      .transaction(async (trx) => {
        await f.pki.issueCardCertificate({ profile: 'piv-auth', publicKey: cardKey('p256'), cardId, cardholderRef: 'CH-7', notAfter: yearsFromNow(f.clock, 1) }, { trx });
        expect(await f.pki.certificatesOfCard(cardId, trx)).to.have.length(2);
        throw new Error('abandon issuance');
      })
      .catch(() => undefined);
    const records = await f.pki.certificatesOfCard(cardId);
    expect(records.map((r) => r.slot)).to.deep.equal(['9E']);
  });
});
