import { expect } from 'chai';
import { isTesseraError } from '../../../shared/errors/index.js';
import { PivClient } from '../../../shared/piv/index.js';
import { DeskReaders, deskReadersFromConfig, parseDeskReaderSpecs, SimulatedDeskStock } from '../../../services/identity/issuance/index.js';

async function codeOf(work: Promise<unknown>): Promise<string | undefined> {
  try {
    await work;
    return undefined;
  } catch (error) {
    return isTesseraError(error) ? error.code : String(error);
  }
}

describe('desk readers', () => {
  it('parses TESSERA_DESK_READERS', () => {
    expect(parseDeskReaderSpecs('sim:Desk 1, pcsc:Virtual PCD 00 00,pcsc:*')).to.deep.equal([
      { kind: 'sim', name: 'Desk 1' },
      { kind: 'pcsc', name: 'Virtual PCD 00 00' },
      { kind: 'pcsc', name: '*' },
    ]);
    expect(() => parseDeskReaderSpecs('usb:Desk')).to.throw(/sim:<desk> or pcsc:<reader name>/);
  });

  it('gives the embedded demo a simulated desk and PostgreSQL none unless configured', async () => {
    const embedded = deskReadersFromConfig({ deskReaders: undefined, databaseUrl: undefined, dataDir: ':memory:' });
    expect(await embedded.list()).to.deep.equal([{ name: 'Demo desk', kind: 'sim', cardPresent: false }]);
    const server = deskReadersFromConfig({ deskReaders: undefined, databaseUrl: 'postgres://x/y', dataDir: ':memory:' });
    expect(await server.list()).to.deep.equal([]);
  });

  it('takes a blank card from stock for an issuance and keeps one pulled half way in the reader', async () => {
    const stock = new SimulatedDeskStock(['Desk 1']);
    const desks = new DeskReaders([stock]);
    const session = await desks.open('Desk 1', { kind: 'blank' });
    const first = stock.cardIn('Desk 1');
    const client = new PivClient(session);
    await client.select();
    await session.release();
    // Not handed over: the same card is still there for the retry.
    const again = await desks.open('Desk 1', { kind: 'blank' });
    expect(stock.cardIn('Desk 1')).to.equal(first);
    await again.release({ handedOver: 'b7e9b0f6-3c1e-4b0a-9e0e-2f1d8c0b6a11' });
    expect(stock.cardIn('Desk 1')).to.equal(undefined);
    expect(stock.issuedCard('b7e9b0f6-3c1e-4b0a-9e0e-2f1d8c0b6a11')).to.equal(first);
  });

  it('one session per reader; an unknown reader and an empty reader are desk problems', async () => {
    const stock = new SimulatedDeskStock(['Desk 1']);
    const desks = new DeskReaders([stock]);
    const session = await desks.open('Desk 1', { kind: 'blank' });
    expect(await codeOf(desks.open('Desk 1', { kind: 'blank' }))).to.equal('ERR_DESK_READER_BUSY');
    await session.release();
    expect(await codeOf(desks.open('Desk 9', { kind: 'blank' }))).to.equal('ERR_DESK_READER_UNKNOWN');
    stock.eject('Desk 1');
    expect(await codeOf(desks.open('Desk 1', { kind: 'card', cardId: '00000000-0000-4000-8000-000000000000' }))).to.equal('ERR_DESK_NO_CARD');
  });

  it('a card taken out fails the open session with ERR_CARD_REMOVED', async () => {
    const stock = new SimulatedDeskStock(['Desk 1']);
    const session = await new DeskReaders([stock]).open('Desk 1', { kind: 'blank' });
    stock.eject('Desk 1');
    expect(await codeOf(new PivClient(session).select())).to.equal('ERR_CARD_REMOVED');
    await session.release();
  });
});
