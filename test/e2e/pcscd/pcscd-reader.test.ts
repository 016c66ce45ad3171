import { expect } from 'chai';
import { createHash, randomBytes, verify, X509Certificate } from 'node:crypto';
import { CardRemovedError, PivClient, PivSlot, type PivKeyAlgorithm } from '../../../shared/piv/index.js';
import { PcscReaderProvider, waitForCard, type CardConnection, type ReaderEventMap } from '../../../shared/readers/index.js';
import { missingPcscPieces, skipOrFailWhenMissing, usePcscd, type PcscdLease } from '../../support/pcscd.js';
import { serveCardOnVpcd, type ServedCard } from '../../support/vpcd-card.js';

const cases: { card: 'rsa2048' | 'p256'; alg: PivKeyAlgorithm }[] = [
  { card: 'rsa2048', alg: 'RSA2048' },
  { card: 'p256', alg: 'P256' },
];

/** The next `event` for `reader`, so a test can wait on what the provider reports. */
function next<E extends 'card-present' | 'card-removed'>(provider: PcscReaderProvider, event: E, reader: string): Promise<ReaderEventMap[E]> {
  return new Promise((resolve) => {
    const listener = (e: ReaderEventMap[E]) => {
      if (e.reader !== reader) return;
      provider.off(event, listener);
      resolve(e);
    };
    provider.on(event, listener);
  });
}

async function signAndVerify(connection: CardConnection, alg: PivKeyAlgorithm): Promise<void> {
  const piv = new PivClient(connection);
  await piv.select();
  const cert = new X509Certificate(await piv.readCertificate(PivSlot.Authentication));
  await piv.verifyPin('123456');
  const data = randomBytes(48);
  const signature = await piv.signDigest(PivSlot.Authentication, alg, new Uint8Array(createHash('sha256').update(data).digest()));
  expect(verify('sha256', data, cert.publicKey, signature), 'signature verifies against the 9A certificate').to.equal(true);
}

describe('PIV through real pcscd and vpcd (pcsclite)', function () {
  this.timeout(60_000);
  let pcscd: PcscdLease | undefined;

  before(async function () {
    skipOrFailWhenMissing(this, await missingPcscPieces());
    pcscd = await usePcscd();
  });

  after(async () => {
    await pcscd?.release();
  });

  for (const { card: cardAlg, alg } of cases) {
    describe(`${alg} card`, () => {
      let served: ServedCard;
      let provider: PcscReaderProvider;
      let connection: CardConnection;
      const events: string[] = [];

      before(async () => {
        provider = new PcscReaderProvider();
        provider.on('card-present', (e) => events.push(`present ${e.reader}`));
        provider.on('card-removed', (e) => events.push(`removed ${e.reader}`));
        await provider.watch();
        // The fixture picks a slot that pcscd reports empty, so its card-present comes after watch().
        served = await serveCardOnVpcd({ alg: cardAlg });
        await waitForCard(provider, served.reader, { signal: AbortSignal.timeout(15_000) });
      });

      after(async () => {
        await provider?.close();
        await served?.close();
      });

      it('emits card-present on insertion and lists the vpcd reader with the card and its PIV ATR', async () => {
        expect(events).to.include(`present ${served.reader}`);
        const info = (await provider.listReaders()).find((r) => r.name === served.reader);
        expect(info?.cardPresent).to.equal(true);
        expect(Buffer.from(info!.atr!).toString('hex')).to.equal(Buffer.from(served.card.atr).toString('hex'));
      });

      it('selects PIV, reads the CHUID and the certificate (61xx chaining), signs, and the signature verifies', async () => {
        connection = await provider.connect(served.reader);
        expect(Buffer.from(connection.atr).equals(Buffer.from(served.card.atr))).to.equal(true);
        const piv = new PivClient(connection);
        await piv.select();
        expect((await piv.readChuid()).guid).to.have.length(16);
        const der = await piv.readCertificate(PivSlot.CardAuthentication);
        expect(der.length).to.be.greaterThan(alg === 'RSA2048' ? 256 : 100);
        await signAndVerify(connection, alg);
      });

      it('reports card-removed when the card leaves, and the open connection fails with CardRemovedError', async () => {
        const removed = next(provider, 'card-removed', served.reader);
        await served.remove();
        await removed;
        const err = await connection.transmit(Uint8Array.of(0x00, 0xa4, 0x04, 0x00, 0x05, 0xa0, 0x00, 0x00, 0x03, 0x08)).catch((e) => e);
        expect(err).to.be.instanceOf(CardRemovedError);
        expect((await provider.listReaders()).find((r) => r.name === served.reader)?.cardPresent).to.equal(false);
      });

      it('reports card-present again on re-insertion, and a new connection works', async () => {
        const present = next(provider, 'card-present', served.reader);
        await served.insert();
        await present;
        await connection.disconnect();
        connection = await provider.connect(served.reader);
        await signAndVerify(connection, alg);
        await connection.disconnect();
      });
    });
  }
});
