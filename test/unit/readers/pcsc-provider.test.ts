import { expect } from 'chai';
import {
  CardRemovedError,
  PcscUnavailableError,
  ReaderError,
  ReaderNotFoundError,
} from '../../../shared/piv/index.js';
import { PcscReaderProvider, type ReaderEventMap } from '../../../shared/readers/index.js';
import { fakePcscLite, FakeReader, STATE } from './fake-pcsclite.js';

const ATR = [0x3b, 0x8b, 0x80, 0x01];
const tick = () => new Promise((resolve) => setImmediate(resolve));

function recorder(provider: PcscReaderProvider) {
  const events: string[] = [];
  for (const name of ['card-present', 'card-removed', 'reader-added', 'reader-removed'] as const) {
    provider.on(name, (e: ReaderEventMap[typeof name]) => events.push(`${name} ${e.reader}`));
  }
  return events;
}

describe('PC/SC reader provider (fake pcsclite)', () => {
  let reader: FakeReader;
  let provider: PcscReaderProvider;

  beforeEach(() => {
    reader = new FakeReader('Virtual PCD 00 00');
  });

  afterEach(async () => {
    await provider?.close();
  });

  it('lists readers with their presence and ATR once PC/SC has reported them', async () => {
    const other = new FakeReader('Other Reader');
    const fake = fakePcscLite([reader, other], { 'Virtual PCD 00 00': { state: STATE.PRESENT, atr: ATR } });
    provider = new PcscReaderProvider({ load: async () => fake.factory });
    const readers = await provider.listReaders();
    expect(readers.map((r) => [r.name, r.cardPresent])).to.deep.equal([
      ['Virtual PCD 00 00', true],
      ['Other Reader', false],
    ]);
    expect([...readers[0]!.atr!]).to.deep.equal(ATR);
  });

  it('watch announces present cards, then removals and insertions', async () => {
    const fake = fakePcscLite([reader], { 'Virtual PCD 00 00': { state: STATE.PRESENT, atr: ATR } });
    provider = new PcscReaderProvider({ load: async () => fake.factory });
    const events = recorder(provider);
    await provider.watch();
    reader.status(STATE.EMPTY | (1 << 16));
    reader.status(STATE.PRESENT | (2 << 16), ATR);
    expect(events).to.deep.equal(['card-present Virtual PCD 00 00', 'card-removed Virtual PCD 00 00', 'card-present Virtual PCD 00 00']);
  });

  it('a new event count while still present is a removal and an insertion', async () => {
    const fake = fakePcscLite([reader], { 'Virtual PCD 00 00': { state: STATE.PRESENT | (4 << 16), atr: ATR } });
    provider = new PcscReaderProvider({ load: async () => fake.factory });
    await provider.watch();
    const events = recorder(provider);
    reader.status(STATE.PRESENT | (6 << 16), ATR);
    expect(events).to.deep.equal(['card-removed Virtual PCD 00 00', 'card-present Virtual PCD 00 00']);
  });

  it('a mute card is not a present card', async () => {
    const fake = fakePcscLite([reader], { 'Virtual PCD 00 00': { state: STATE.PRESENT | STATE.MUTE } });
    provider = new PcscReaderProvider({ load: async () => fake.factory });
    expect((await provider.listReaders())[0]!.cardPresent).to.equal(false);
  });

  it('connects shared with T=1 and transmits; after removal the connection is dead', async () => {
    const fake = fakePcscLite([reader], { 'Virtual PCD 00 00': { state: STATE.PRESENT, atr: ATR } });
    provider = new PcscReaderProvider({ load: async () => fake.factory });
    reader.handler = (apdu) => Buffer.concat([apdu.subarray(0, 2), Buffer.from([0x90, 0x00])]);
    const connection = await provider.connect('Virtual PCD 00 00');
    expect(reader.connects).to.deep.equal([{ share_mode: 2, protocol: 2 }]);
    expect([...connection.atr]).to.deep.equal(ATR);
    expect([...(await connection.transmit(Uint8Array.of(0x00, 0xa4, 0x04, 0x00)))]).to.deep.equal([0x00, 0xa4, 0x90, 0x00]);
    reader.status(STATE.EMPTY);
    const err = await connection.transmit(Uint8Array.of(0, 0xa4, 4, 0)).catch((e) => e);
    expect(err).to.be.instanceOf(CardRemovedError);
    // A fresh connection after re-insertion works and drops the stale native handle first.
    reader.status(STATE.PRESENT, ATR);
    const again = await provider.connect('Virtual PCD 00 00');
    expect(reader.disconnects).to.deep.equal([0]);
    expect(await again.transmit(Uint8Array.of(0, 1, 2, 3))).to.have.length(4);
  });

  it('maps SCARD_W_REMOVED_CARD during transmit to CardRemovedError, other failures to ReaderError', async () => {
    const fake = fakePcscLite([reader], { 'Virtual PCD 00 00': { state: STATE.PRESENT, atr: ATR } });
    provider = new PcscReaderProvider({ load: async () => fake.factory });
    const connection = await provider.connect('Virtual PCD 00 00');
    reader.handler = () => new Error('SCardTransmit error: Card was removed.(0x80100069)');
    const removed = await connection.transmit(Uint8Array.of(0, 0, 0, 0)).catch((e) => e);
    expect(removed).to.be.instanceOf(CardRemovedError).with.property('code', 'ERR_CARD_REMOVED');
    reader.handler = () => new Error('SCardTransmit error: Insufficient buffer.(0x80100008)');
    expect(await connection.transmit(Uint8Array.of(0, 0, 0, 0)).catch((e) => e)).to.be.instanceOf(ReaderError);
  });

  it('falls back to T=0 for a card without T=1', async () => {
    const fake = fakePcscLite([reader], { 'Virtual PCD 00 00': { state: STATE.PRESENT, atr: ATR } });
    provider = new PcscReaderProvider({ load: async () => fake.factory });
    reader.protocols = [1];
    await provider.connect('Virtual PCD 00 00', { exclusive: true });
    expect(reader.connects).to.deep.equal([
      { share_mode: 1, protocol: 2 },
      { share_mode: 1, protocol: 1 },
    ]);
  });

  it('disconnect resets the card by default; a second connect while one is open is refused', async () => {
    const fake = fakePcscLite([reader], { 'Virtual PCD 00 00': { state: STATE.PRESENT, atr: ATR } });
    provider = new PcscReaderProvider({ load: async () => fake.factory });
    const connection = await provider.connect('Virtual PCD 00 00');
    expect(await provider.connect('Virtual PCD 00 00').catch((e) => e)).to.be.instanceOf(ReaderError);
    await connection.disconnect();
    expect(reader.disconnects).to.deep.equal([1]);
    expect(await connection.transmit(Uint8Array.of(0, 0, 0, 0)).catch((e) => e)).to.be.instanceOf(CardRemovedError);
  });

  it('an unknown reader is ReaderNotFoundError listing the attached ones', async () => {
    const fake = fakePcscLite([reader], {});
    provider = new PcscReaderProvider({ load: async () => fake.factory });
    const err = await provider.connect('Yubikey').catch((e) => e);
    expect(err).to.be.instanceOf(ReaderNotFoundError);
    expect(err.message).to.contain('"Virtual PCD 00 00"');
  });

  it('a reader that goes away emits card-removed and reader-removed', async () => {
    const fake = fakePcscLite([reader], { 'Virtual PCD 00 00': { state: STATE.PRESENT, atr: ATR } });
    provider = new PcscReaderProvider({ load: async () => fake.factory });
    await provider.watch();
    const events = recorder(provider);
    reader.emit('end');
    expect(events).to.deep.equal(['card-removed Virtual PCD 00 00', 'reader-removed Virtual PCD 00 00']);
    expect(await provider.listReaders()).to.deep.equal([]);
  });

  it('close releases the readers and the context', async () => {
    const fake = fakePcscLite([reader], {});
    provider = new PcscReaderProvider({ load: async () => fake.factory });
    await provider.listReaders();
    await provider.close();
    expect(reader.closed).to.equal(true);
    expect(fake.contexts[0]!.closed).to.equal(true);
    await tick();
  });

  it('no PC/SC service is PcscUnavailableError naming pcscd', async () => {
    provider = new PcscReaderProvider({
      load: async () => () => {
        throw new Error('SCardEstablishContext error: Service not available.(0x8010001d)');
      },
    });
    const err = await provider.listReaders().catch((e) => e);
    expect(err).to.be.instanceOf(PcscUnavailableError);
    expect(err.message).to.contain('apt-get install pcscd');
  });

  it('a binding that cannot load is PcscUnavailableError with what to install', async () => {
    const { loadPcscLite, PCSCLITE_INSTALL_HINT } = await import('../../../shared/readers/index.js');
    expect(PCSCLITE_INSTALL_HINT).to.contain('apt-get install libpcsclite-dev pcscd');
    expect(PCSCLITE_INSTALL_HINT).to.contain('npm rebuild pcsclite');
    provider = new PcscReaderProvider({
      load: () => Promise.reject(new PcscUnavailableError(`cannot load. ${PCSCLITE_INSTALL_HINT}`)),
    });
    expect(await provider.watch().catch((e) => e)).to.be.instanceOf(PcscUnavailableError);
    // The real loader resolves here because the binding is built on this machine, or fails with the hint.
    await loadPcscLite().then(
      (factory) => expect(factory).to.be.a('function'),
      (err) => expect(err.message).to.contain('npm rebuild pcsclite'),
    );
  });
});
