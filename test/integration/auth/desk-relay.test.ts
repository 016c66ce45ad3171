import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
import { factoryState, MemoryCardStore, SimulatedCard } from '../../../card-applets-sim/index.js';
import { isTesseraError } from '../../../shared/errors/index.js';
import { CardRemovedError, PivClient } from '../../../shared/piv/index.js';
import { SimulatedReaderProvider } from '../../../shared/readers/index.js';
import { SealedBox } from '../../../shared/secrets/index.js';
import { notificationFeedFor, type NotificationFeed } from '../../../services/auth/notifications/notification-feed.js';
import { DeskRelay } from '../../../services/auth/relay/desk-relay.js';
import { deskRelayFor } from '../../../services/auth/relay/desk-relay-for.js';
import { DeskRelayClient, PlatformClient } from '../../../services/reader-agent/index.js';
import { sharedTestDatabase, type TestDatabase } from '../../support/test-database.js';
import { readerClient, registerReader, startAuthPlatform, type AuthPlatform } from './auth-fixture.js';

describe('auth: the desk relay', function () {
  this.timeout(120_000);
  let db: TestDatabase;
  let a: AuthPlatform;
  let b: AuthPlatform;
  let feed: NotificationFeed;
  const kek = randomBytes(32);

  before(async () => {
    db = await sharedTestDatabase();
    a = await startAuthPlatform({ db, keyEncryptionKey: kek });
    b = await startAuthPlatform({ db, keyEncryptionKey: kek });
    feed = notificationFeedFor(db);
    await feed.start();
  });
  after(async () => {
    await feed.close();
    await a.close();
    await b.close();
  });

  function deskAgent(baseUrl: string, credential: string, card?: SimulatedCard) {
    const provider = new SimulatedReaderProvider(['Desk']);
    if (card) provider.insert('Desk', card);
    const sessions: boolean[] = [];
    const client = new DeskRelayClient(provider, 'Desk', new PlatformClient(baseUrl, credential), { beforeSession: async () => {}, onSession: (open) => sessions.push(open), onError: () => {} });
    client.start();
    return { client, provider, sessions };
  }

  it('drives a card through an agent polling another platform process, and leaves no command behind', async () => {
    const desk = await registerReader(a, { kind: 'desk' });
    const card = new SimulatedCard(new MemoryCardStore(factoryState({ alg: 'p256' })));
    const agent = deskAgent(b.baseUrl, desk.credential, card);
    try {
      const channel = await deskRelayFor(a.t.platform.ctx).open(desk.reader.id);
      expect(Buffer.from(channel.atr)).to.deep.equal(Buffer.from(card.atr));
      const piv = new PivClient(channel);
      const info = await piv.select();
      expect(info).to.be.an('object');
      expect((await piv.pinStatus()).verified).to.equal(false);
      await channel.close();
      expect(agent.sessions).to.deep.equal([true, false]);
      expect(await db.knex('reader_relay_exchanges').where({ reader_id: desk.reader.id })).to.deep.equal([]);
    } finally {
      await agent.client.stop();
    }
  });

  it('reports a card pulled out mid-session as CardRemovedError to the platform', async () => {
    const desk = await registerReader(a, { kind: 'desk' });
    const card = new SimulatedCard(new MemoryCardStore(factoryState({ alg: 'p256' })));
    const agent = deskAgent(a.baseUrl, desk.credential, card);
    try {
      const channel = await deskRelayFor(a.t.platform.ctx).open(desk.reader.id);
      agent.provider.remove('Desk');
      const failure = await new PivClient(channel).select().catch((e: unknown) => e);
      expect(failure).to.be.instanceOf(CardRemovedError);
      const empty = await deskRelayFor(a.t.platform.ctx).open(desk.reader.id).catch((e: unknown) => e);
      expect(empty).to.be.instanceOf(CardRemovedError);
    } finally {
      await agent.client.stop();
    }
  });

  it('answers ERR_RELAY_DESK_OFFLINE when no agent picks the session up, and withdraws the command', async () => {
    const desk = await registerReader(a, { kind: 'desk' });
    const relay = new DeskRelay(db.knex, new SealedBox(kek), feed, () => new Date(), { openTimeoutMs: 300 });
    const failure = await relay.open(desk.reader.id).catch((e: unknown) => e);
    expect(isTesseraError(failure) && failure.code).to.equal('ERR_RELAY_DESK_OFFLINE');
    expect(await db.knex('reader_relay_exchanges').where({ reader_id: desk.reader.id })).to.deep.equal([]);
  });

  it('keeps commands sealed at rest, and refuses the relay to readers that are not desks', async () => {
    const desk = await registerReader(a, { kind: 'desk' });
    const relay = new DeskRelay(db.knex, new SealedBox(kek), feed, () => new Date(), { openTimeoutMs: 200, commandTimeoutMs: 3_000 });
    const pending = relay.transmit(desk.reader.id, '00000000-0000-4000-8000-000000000001', Buffer.from('0020008008313233343536ffff', 'hex')).catch((e: unknown) => e);
    let row: { command_sealed: string } | undefined;
    for (let i = 0; i < 500 && !row; i++) {
      [row] = await db.knex('reader_relay_exchanges').where({ reader_id: desk.reader.id });
      if (!row) await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(row!.command_sealed).to.match(/^v1:/);
    expect(row!.command_sealed).not.to.contain('313233343536');
    expect(isTesseraError(await pending) && ((await pending) as { code: string }).code).to.equal('ERR_RELAY_TIMEOUT');
    const kiosk = await registerReader(a, { kind: 'kiosk' });
    const refused = await readerClient(a.baseUrl, kiosk.credential).get('/v1/readers/self/relay?wait=0');
    expect(refused.status).to.equal(403);
    expect(refused.body.code).to.equal('ERR_RELAY_NOT_A_DESK');
  });
});
