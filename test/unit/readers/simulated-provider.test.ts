import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCardFile, SimulatedCard } from '../../../card-applets-sim/index.js';
import { CardRemovedError, PivClient, ReaderNotFoundError } from '../../../shared/piv/index.js';
import { SimulatedReaderProvider, waitForCard, waitForCardRemoval, type ReaderEventMap } from '../../../shared/readers/index.js';

const READER = 'Desk Reader';

describe('simulated reader provider', () => {
  let dir: string;
  let card: SimulatedCard;
  let provider: SimulatedReaderProvider;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'tessera-readers-'));
    const file = join(dir, 'card.json');
    createCardFile(file, { alg: 'p256', provision: true });
    card = SimulatedCard.fromFile(file);
    provider = new SimulatedReaderProvider([READER]);
  });

  afterEach(async () => {
    await provider.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('emits card-present and card-removed as cards go in and out', async () => {
    const events: string[] = [];
    provider.on('card-present', (e: ReaderEventMap['card-present']) => events.push(`present ${e.reader} ${e.atr.length}`));
    provider.on('card-removed', (e) => events.push(`removed ${e.reader}`));
    await provider.watch();
    provider.insert(READER, card);
    provider.remove(READER);
    expect(events).to.deep.equal([`present ${READER} ${card.atr.length}`, `removed ${READER}`]);
  });

  it('watch announces a card that was inserted before', async () => {
    provider.insert(READER, card);
    const atr = await waitForCard(provider, READER);
    expect(atr).to.deep.equal(card.atr);
  });

  it('gives a CardChannel the PIV client drives', async () => {
    provider.insert(READER, card);
    const connection = await provider.connect(READER);
    const piv = new PivClient(connection);
    expect((await piv.select()).aid).to.not.equal(undefined);
    await piv.verifyPin('123456');
    expect((await piv.pinStatus()).verified).to.equal(true);
  });

  it('a removed card fails open connections with CardRemovedError, even after re-insertion', async () => {
    provider.insert(READER, card);
    const connection = await provider.connect(READER);
    const removal = waitForCardRemoval(provider, READER);
    provider.remove(READER);
    await removal;
    expect(await connection.transmit(Uint8Array.of(0, 0xa4, 4, 0)).catch((e) => e)).to.be.instanceOf(CardRemovedError);
    provider.insert(READER, card);
    expect(await connection.transmit(Uint8Array.of(0, 0xa4, 4, 0)).catch((e) => e)).to.be.instanceOf(CardRemovedError);
    const fresh = await provider.connect(READER);
    await new PivClient(fresh).select();
  });

  it('re-insertion is a power cycle: the PIN must be verified again', async () => {
    provider.insert(READER, card);
    const first = new PivClient(await provider.connect(READER));
    await first.select();
    await first.verifyPin('123456');
    provider.remove(READER);
    provider.insert(READER, card);
    const second = new PivClient(await provider.connect(READER));
    await second.select();
    expect(await second.pinStatus()).to.deep.include({ verified: false, triesLeft: 3 });
  });

  it('disconnect resets the card so the next session does not inherit the PIN', async () => {
    provider.insert(READER, card);
    const connection = await provider.connect(READER);
    const piv = new PivClient(connection);
    await piv.select();
    await piv.verifyPin('123456');
    await connection.disconnect();
    const next = new PivClient(await provider.connect(READER));
    await next.select();
    expect((await next.pinStatus()).verified).to.equal(false);
  });

  it('connect to an empty reader is CardRemovedError; to an unknown one ReaderNotFoundError', async () => {
    expect(await provider.connect(READER).catch((e) => e)).to.be.instanceOf(CardRemovedError);
    expect(await provider.connect('Nope').catch((e) => e)).to.be.instanceOf(ReaderNotFoundError);
  });

  it('lists readers and what is in them; readers come and go', async () => {
    provider.addReader('Second');
    provider.insert('Second', card);
    expect((await provider.listReaders()).map((r) => [r.name, r.cardPresent])).to.deep.equal([
      [READER, false],
      ['Second', true],
    ]);
    const events: string[] = [];
    provider.on('card-removed', (e) => events.push(`removed ${e.reader}`));
    provider.on('reader-removed', (e) => events.push(`reader gone ${e.reader}`));
    provider.removeReader('Second');
    expect(events).to.deep.equal(['removed Second', 'reader gone Second']);
  });
});
