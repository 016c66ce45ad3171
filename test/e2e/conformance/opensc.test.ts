import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { missingPcscPieces, skipOrFailWhenMissing, usePcscd, type PcscdLease } from '../../support/pcscd.js';
import { serveCardOnVpcd, type ServedCard } from '../../support/vpcd-card.js';
import { missingTools, openscPkcs11Module, runOk } from './middleware.js';

const cases = [
  { alg: 'rsa2048', keyType: 'RSA 2048 bits', mechanism: ['-m', 'SHA256-RSA-PKCS'] },
  { alg: 'p256', keyType: 'EC  EC_POINT 256 bits', mechanism: ['-m', 'ECDSA-SHA256', '--signature-format', 'openssl'] },
] as const;

describe('conformance: OpenSC against the simulated card through pcscd', function () {
  this.timeout(90_000);
  let pcscd: PcscdLease | undefined;
  let module: string;

  before(async function () {
    skipOrFailWhenMissing(this, [...(await missingPcscPieces()), ...missingTools(['opensc', 'openssl'])]);
    module = openscPkcs11Module()!;
    pcscd = await usePcscd();
  });

  after(async () => {
    await pcscd?.release();
  });

  for (const { alg, keyType, mechanism } of cases) {
    describe(`${alg} card`, () => {
      let served: ServedCard;

      beforeEach(async () => {
        served = await serveCardOnVpcd({ alg });
      });

      afterEach(async () => {
        await served?.close();
      });

      it('opensc-tool -n names a PIV card', async () => {
        const { stdout } = await runOk('opensc-tool', ['-r', served.reader, '-n']);
        expect(stdout.trim()).to.equal('Personal Identity Verification Card');
      });

      it('pkcs15-tool --list-certificates lists the 9A and 9E certificates', async () => {
        const { stdout } = await runOk('pkcs15-tool', ['--reader', served.reader, '--list-certificates']);
        expect(stdout).to.contain('Certificate for PIV Authentication');
        expect(stdout).to.contain('Certificate for Card Authentication');
        expect(stdout).to.match(/ID\s+:\s+01/);
        expect(stdout).to.match(/ID\s+:\s+04/);
      });

      it('pkcs11-tool --list-objects shows the public keys and certificates', async () => {
        const { stdout } = await runOk('pkcs11-tool', ['--module', module, '--slot-description', served.reader, '--list-objects']);
        expect(stdout).to.contain(`Public Key Object; ${keyType}`);
        expect(stdout).to.contain('PIV AUTH pubkey');
        expect(stdout).to.contain('Certificate for PIV Authentication');
        expect(stdout).to.contain('Certificate for Card Authentication');
      });

      it('pkcs11-tool --login --sign with 9A; openssl verifies against the certificate', async () => {
        const data = join(served.dir, 'data.bin');
        const signature = join(served.dir, 'signature.bin');
        const certificate = join(served.dir, 'cert-01.pem');
        const publicKey = join(served.dir, 'pub-01.pem');
        writeFileSync(data, randomBytes(200));
        await runOk('pkcs11-tool', [
          '--module', module, '--slot-description', served.reader,
          '--login', '--pin', '123456', '--sign', '--id', '01', ...mechanism, '-i', data, '-o', signature,
        ]);
        const pem = await runOk('pkcs15-tool', ['--reader', served.reader, '--read-certificate', '01']);
        writeFileSync(certificate, pem.stdout);
        await runOk('openssl', ['x509', '-in', certificate, '-pubkey', '-noout', '-out', publicKey]);
        const verified = await runOk('openssl', ['dgst', '-sha256', '-verify', publicKey, '-signature', signature, data]);
        expect(verified.stdout.trim()).to.equal('Verified OK');
      });
    });
  }
});
