import { expect } from 'chai';
import { createHash, randomBytes, verify, X509Certificate, type KeyObject } from 'node:crypto';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCardFile, SimulatedCard, SimulatedCardChannel } from '../../../card-applets-sim/index.js';
import {
  DEFAULT_MANAGEMENT_KEY,
  ecdsaDerToJose,
  ManagementKeyRejectedError,
  newChuid,
  NotFoundError,
  PinBlockedError,
  PivClient,
  PivSlot,
  SecurityStatusNotSatisfiedError,
  WrongPinError,
  WrongPukError,
  type PivKeyAlgorithm,
} from '../../../shared/piv/index.js';

const cases: { card: 'rsa2048' | 'p256'; alg: PivKeyAlgorithm }[] = [
  { card: 'rsa2048', alg: 'RSA2048' },
  { card: 'p256', alg: 'P256' },
];

const sha256 = (data: Uint8Array) => new Uint8Array(createHash('sha256').update(data).digest());

function verifies(publicKey: KeyObject, data: Uint8Array, signature: Uint8Array): boolean {
  return verify('sha256', data, publicKey, signature);
}

describe('PIV client against the in-process simulated card', () => {
  let dir: string;
  /** One provisioned card per algorithm, copied per test: RSA key generation is the slow part. */
  const templates = new Map<string, string>();
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'tessera-piv-'));
    for (const { card } of cases) {
      const file = join(dir, `template-${card}.json`);
      createCardFile(file, { alg: card, provision: true });
      templates.set(card, file);
    }
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  for (const { card: cardAlg, alg } of cases) {
    describe(alg, () => {
      let card: SimulatedCard;
      let piv: PivClient;

      beforeEach(async () => {
        const file = join(dir, `${cardAlg}-${randomBytes(4).toString('hex')}.json`);
        copyFileSync(templates.get(cardAlg)!, file);
        card = SimulatedCard.fromFile(file);
        piv = new PivClient(new SimulatedCardChannel(card));
        await piv.select();
      });

      it('reads the provisioned 9A and 9E certificates and the CHUID', async () => {
        const auth = new X509Certificate(await piv.readCertificate(PivSlot.Authentication));
        const cak = new X509Certificate(await piv.readCertificate(PivSlot.CardAuthentication));
        expect(auth.subject).to.contain('PIV Authentication');
        expect(cak.subject).to.contain('Card Authentication');
        expect(await piv.readCertificate(PivSlot.Signature).catch((e) => e)).to.be.instanceOf(NotFoundError);
        const chuid = await piv.readChuid();
        expect(chuid.guid).to.have.length(16);
        expect(chuid.expiry).to.match(/^\d{4}-\d{2}-\d{2}$/);
      });

      it('signs with 9A only after the PIN, and the signature verifies against the certificate', async () => {
        const cert = new X509Certificate(await piv.readCertificate(PivSlot.Authentication));
        const data = randomBytes(100);
        expect(await piv.signDigest(PivSlot.Authentication, alg, sha256(data)).catch((e) => e)).to.be.instanceOf(SecurityStatusNotSatisfiedError);
        await piv.verifyPin('123456');
        const signature = await piv.signDigest(PivSlot.Authentication, alg, sha256(data));
        expect(verifies(cert.publicKey, data, signature)).to.equal(true);
        if (alg === 'P256') {
          const jose = ecdsaDerToJose(signature);
          expect(verify('sha256', data, { key: cert.publicKey, dsaEncoding: 'ieee-p1363' }, jose)).to.equal(true);
        }
      });

      it('signs with 9E without any PIN (PKI-CAK)', async () => {
        const cert = new X509Certificate(await piv.readCertificate(PivSlot.CardAuthentication));
        const data = randomBytes(32);
        expect(verifies(cert.publicKey, data, await piv.signDigest(PivSlot.CardAuthentication, alg, sha256(data)))).to.equal(true);
      });

      it('generates a key in 9C, writes a certificate, and signs with the PIN right before (PIN-always)', async () => {
        await piv.authenticateManagementKey();
        const generated = await piv.generateKeyPair(PivSlot.Signature, alg);
        expect(generated.publicKey.asymmetricKeyType).to.equal(alg === 'RSA2048' ? 'rsa' : 'ec');
        const someCert = await piv.readCertificate(PivSlot.Authentication);
        await piv.writeCertificate(PivSlot.Signature, someCert, { compress: true });
        expect(Buffer.from(await piv.readCertificate(PivSlot.Signature)).equals(Buffer.from(someCert))).to.equal(true);
        const data = randomBytes(64);
        const signature = await piv.signDigest(PivSlot.Signature, alg, sha256(data), { pin: '123456' });
        expect(verifies(generated.publicKey, data, signature)).to.equal(true);
        // PIN-always: the verification was spent on that one signature.
        expect(await piv.signDigest(PivSlot.Signature, alg, sha256(data)).catch((e) => e)).to.be.instanceOf(SecurityStatusNotSatisfiedError);
      });

      it('refuses PUT DATA and GENERATE without management-key authentication', async () => {
        expect(await piv.generateKeyPair(PivSlot.KeyManagement, alg).catch((e) => e)).to.be.instanceOf(SecurityStatusNotSatisfiedError);
        expect(await piv.writeChuid(newChuid()).catch((e) => e)).to.be.instanceOf(SecurityStatusNotSatisfiedError);
      });

      it('writes a new CHUID and reads it back', async () => {
        await piv.authenticateManagementKey();
        const chuid = newChuid({ expiry: '2032-06-30' });
        await piv.writeChuid(chuid);
        expect(await piv.readChuid()).to.deep.equal(chuid);
      });

      it('deletes a certificate', async () => {
        await piv.authenticateManagementKey();
        await piv.deleteCertificate(PivSlot.CardAuthentication);
        expect(await piv.readCertificate(PivSlot.CardAuthentication).catch((e) => e)).to.be.instanceOf(NotFoundError);
      });
    });
  }

  describe('PIN, PUK and management key', () => {
    let card: SimulatedCard;
    let piv: PivClient;

    beforeEach(async () => {
      const file = join(dir, `secrets-${randomBytes(4).toString('hex')}.json`);
      createCardFile(file, { alg: 'p256' });
      card = SimulatedCard.fromFile(file);
      piv = new PivClient(new SimulatedCardChannel(card));
      await piv.select();
    });

    it('counts wrong PINs down, blocks at zero, and the PUK unblocks with a new PIN', async () => {
      expect(await piv.pinStatus()).to.deep.equal({ verified: false, triesLeft: 3, blocked: false });
      for (const left of [2, 1]) {
        const err = await piv.verifyPin('000000').catch((e) => e);
        expect(err).to.be.instanceOf(WrongPinError).with.property('triesLeft', left);
      }
      expect(await piv.verifyPin('000000').catch((e) => e)).to.satisfy((e: unknown) => e instanceof WrongPinError || e instanceof PinBlockedError);
      expect(await piv.verifyPin('123456').catch((e) => e)).to.be.instanceOf(PinBlockedError);
      expect((await piv.pinStatus()).blocked).to.equal(true);
      expect(await piv.unblockPin('87654321', '246810').catch((e) => e)).to.be.instanceOf(WrongPukError).with.property('triesLeft', 2);
      await piv.unblockPin('12345678', '246810');
      await piv.verifyPin('246810');
      expect((await piv.pinStatus()).verified).to.equal(true);
    });

    it('a correct PIN resets the counter; VERIFY P1=FF drops the verified state', async () => {
      await piv.verifyPin('000000').catch(() => undefined);
      await piv.verifyPin('123456');
      await piv.resetPinStatus();
      expect(await piv.pinStatus()).to.deep.equal({ verified: false, triesLeft: 3, blocked: false });
      expect(await piv.verifyPin('000000').catch((e) => e)).to.be.instanceOf(WrongPinError).with.property('triesLeft', 2);
    });

    it('changes the PIN (old one then fails) and the PUK', async () => {
      await piv.changePin('123456', '7654321');
      expect(await piv.verifyPin('123456').catch((e) => e)).to.be.instanceOf(WrongPinError);
      await piv.verifyPin('7654321');
      await piv.changePuk('12345678', '11223344');
      expect(await piv.changePuk('12345678', '11223344').catch((e) => e)).to.be.instanceOf(WrongPukError);
      await piv.unblockPin('11223344', '135790');
      await piv.verifyPin('135790');
    });

    it('rejects a wrong management key, accepts a new one after SET MANAGEMENT KEY (3DES and AES-128)', async () => {
      expect(await piv.authenticateManagementKey(new Uint8Array(24).fill(0x42)).catch((e) => e)).to.be.instanceOf(ManagementKeyRejectedError);
      await piv.authenticateManagementKey(DEFAULT_MANAGEMENT_KEY);
      const tdes = new Uint8Array(randomBytes(24));
      await piv.setManagementKey(tdes);
      expect(await piv.authenticateManagementKey(DEFAULT_MANAGEMENT_KEY).catch((e) => e)).to.be.instanceOf(ManagementKeyRejectedError);
      await piv.authenticateManagementKey(tdes);
      const aes = new Uint8Array(randomBytes(16));
      await piv.setManagementKey(aes, 'AES128');
      await piv.authenticateManagementKey(aes, 'AES128');
      await piv.generateKeyPair(PivSlot.KeyManagement, 'P256');
    });

    it('keeps the security status across a re-SELECT (SP 800-73-4 Part 2 §3.1.1)', async () => {
      await piv.verifyPin('123456');
      await piv.select();
      expect((await piv.pinStatus()).verified).to.equal(true);
    });
  });
});
