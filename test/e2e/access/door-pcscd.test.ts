import { randomBytes, X509Certificate } from 'node:crypto';
import net from 'node:net';
import { expect } from 'chai';
import { accessModule } from '../../../services/modules/access/index.js';
import { PlatformClient } from '../../../services/reader-agent/platform-client.js';
import { fixedPin } from '../../../services/reader-agent/pin-source.js';
import { DoorController, DoorPlatform, DoorRole, OfflineCache, SimulatedDoorSensor, SimulatedLock } from '../../../services/reader-agent/door/index.js';
import { ReaderAgent, type AgentEvent } from '../../../services/reader-agent/reader-agent.js';
import { PivClient, PivSlot } from '../../../shared/piv/index.js';
import { PcscReaderProvider } from '../../../shared/readers/index.js';
import { registerReader, startAuthPlatform, type AuthPlatform } from '../../integration/auth/auth-fixture.js';
import { runPki } from '../../integration/auth/tap-fixture.js';
import { enrolWithCard, jsonClient } from '../../integration/access/support/access-host.js';
import { missingPcscPieces, skipOrFailWhenMissing, usePcscd, type PcscdLease } from '../../support/pcscd.js';
import { createTestDatabase, type TestDatabase } from '../../support/test-database.js';
import { serveCardOnVpcd, type ServedCard } from '../../support/vpcd-card.js';

/** A loopback port the door controller talks to; the platform behind it can stop and come back on another port. */
class PlatformAddress {
  #target = 0;
  #server: net.Server | undefined;
  port = 0;
  async open(target: number): Promise<void> {
    this.#target = target;
    this.#server = net.createServer((client) => {
      const upstream = net.connect(this.#target, '127.0.0.1');
      for (const s of [client, upstream]) s.on('error', () => s.destroy());
      client.pipe(upstream).pipe(client);
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
    await new Promise<void>((resolve) => this.#server!.listen(0, '127.0.0.1', () => resolve()));
    this.port = (this.#server.address() as net.AddressInfo).port;
  }
  pointAt(target: number): void {
    this.#target = target;
  }
  close(): Promise<void> {
    return new Promise((resolve) => (this.#server ? this.#server.close(() => resolve()) : resolve()));
  }
}

describe('access door role end to end: a card through pcscd, the agent as door controller', function () {
  this.timeout(120_000);
  let pcscd: PcscdLease | undefined;
  let served: ServedCard | undefined;
  let db: TestDatabase | undefined;
  let platform: AuthPlatform | undefined;
  const address = new PlatformAddress();
  const kek = randomBytes(32);
  let controller: DoorController;
  let cache: OfflineCache;
  let lock: SimulatedLock;
  let holder: { cardholderId: string; cardId: string };
  let credential: string;

  const startPlatform = async () => {
    platform = await startAuthPlatform({ db: db!, modules: [accessModule], keyEncryptionKey: kek });
    return Number(new URL(platform.baseUrl).port);
  };
  const stopPlatform = async () => {
    await platform?.close();
    platform = undefined;
  };

  before(async function () {
    skipOrFailWhenMissing(this, await missingPcscPieces());
    pcscd = await usePcscd();
    served = await serveCardOnVpcd({ alg: 'p256' });
    db = await createTestDatabase({ migrations: { extraDirectories: [accessModule.migrationsDirectory!] } });
    const pki = await runPki(db);
    await address.open(await startPlatform());
    const registered = await registerReader(platform!, { kind: 'door', module: 'access' });
    const reader = registered.reader;
    credential = registered.credential;
    const manager = jsonClient(platform!.baseUrl, { 'x-test-role': 'access-manager' });
    const site = await manager.post('/v1/access/sites', { name: 'Depot' });
    const zone = await manager.post('/v1/access/zones', { siteId: site.body.id, name: 'Yard' });
    await manager.post('/v1/access/doors', { zoneId: zone.body.id, name: 'Gate', readers: [{ readerId: reader.id, direction: 'entry' }] });
    const group = await manager.post('/v1/access/groups', { name: 'Drivers', zoneIds: [zone.body.id] });
    holder = await enrolWithCard(db.knex);
    await manager.put(`/v1/access/groups/${group.body.id}/members/${holder.cardholderId}`, {});
    // The served card's 9E key gets a certificate from the platform CA, written onto the card as issuance would.
    await withCard(async (piv) => {
      const own = new X509Certificate(await piv.readCertificate(PivSlot.CardAuthentication));
      const issued = await pki.issueCardCertificate({ profile: 'card-auth', publicKey: own.publicKey, cardId: holder.cardId, cardholderRef: 'E2E', notAfter: new Date(Date.now() + 86_400_000) });
      await piv.authenticateManagementKey();
      await piv.writeCertificate(PivSlot.CardAuthentication, issued.der);
    });
    const base = `http://127.0.0.1:${address.port}`;
    cache = new OfflineCache();
    lock = new SimulatedLock();
    controller = new DoorController({
      readerId: reader.id,
      client: new PlatformClient(base, credential, { timeoutMs: 5_000, backoff: { baseMs: 10, maxMs: 20, attempts: 1 } }),
      platform: new DoorPlatform(base, credential),
      cache,
      lock,
      sensor: new SimulatedDoorSensor(),
      pins: fixedPin('123456'),
    });
  });

  after(async () => {
    await stopPlatform();
    await address.close();
    await served?.close();
    await db?.dispose();
    await pcscd?.release();
  });

  async function withCard<T>(work: (piv: PivClient) => Promise<T>): Promise<T> {
    const provider = new PcscReaderProvider();
    const connection = await provider.connect(served!.reader);
    try {
      const piv = new PivClient(connection);
      await piv.select();
      return await work(piv);
    } finally {
      await connection.disconnect('reset');
      await provider.close();
    }
  }

  async function presentCard() {
    const provider = new PcscReaderProvider();
    const connection = await provider.connect(served!.reader);
    try {
      return await controller.present(connection);
    } finally {
      await connection.disconnect('reset');
      await provider.close();
    }
  }

  it('opens the door online through the tap path and the access module', async () => {
    await controller.sync();
    expect(controller.allowList?.credentials).to.have.length(1);
    const online = await presentCard();
    expect(online).to.deep.include({ decision: 'granted', reason: 'ok', offline: false });
    expect(online.platform?.token).to.be.a('string').and.not.equal('');
    expect(lock.released).to.equal(true);
    const events = await db!.knex('access_door_events').where({ cardholder_id: holder.cardholderId, source: 'online' });
    expect(events).to.have.length(1);
  });

  it('decides offline with the platform stopped, and uploads the events when it returns', async () => {
    await stopPlatform();
    lock.lock();
    expect(await presentCard()).to.deep.equal({ decision: 'granted', reason: 'ok', offline: true });
    expect(lock.released).to.equal(true);
    expect(cache.pending.map((e) => e.kind)).to.deep.equal(['granted']);
    address.pointAt(await startPlatform());
    const synced = await controller.sync();
    expect(synced.uploaded).to.equal(1);
    expect(cache.pending).to.deep.equal([]);
    const offline = await db!.knex('access_door_events').where({ cardholder_id: holder.cardholderId, source: 'offline' });
    expect(offline.map((e: any) => e.kind)).to.deep.equal(['granted']);
  });

  it('runs as the reader agent in the door role: online, then offline with the platform stopped, events uploaded on return', async () => {
    const events: AgentEvent[] = [];
    const base = `http://127.0.0.1:${address.port}`;
    const door = new DoorRole({ baseUrl: base, credential, pins: fixedPin('123456') });
    const provider = new PcscReaderProvider();
    const agent = new ReaderAgent({
      provider,
      reader: served!.reader,
      client: new PlatformClient(base, credential, { backoff: { baseMs: 10, maxMs: 20, attempts: 1 } }),
      role: 'door',
      versions: { firmwareVersion: 'e2e', configVersion: 'e2e', agentVersion: 'e2e' },
      onEvent: (event) => events.push(event),
      door,
    });
    const decisions = () => events.flatMap((e) => (e.kind === 'decision' ? [e.decision] : []));
    const until = async (what: string, ok: () => boolean) => {
      for (let i = 0; i < 400 && !ok(); i++) await new Promise((r) => setTimeout(r, 50));
      expect(ok(), `${what}; events: ${JSON.stringify(events)}`).to.equal(true);
    };
    try {
      await agent.start();
      await until('an online decision', () => decisions().length === 1);
      expect(decisions()[0]).to.include({ decision: 'granted', reason: 'ok' });
      expect(decisions()[0]!.token).to.not.equal('');
      expect(door.lock.released).to.equal(true);
      await stopPlatform();
      await served!.remove();
      await served!.insert();
      await until('an offline decision', () => decisions().length === 2);
      expect(decisions()[1]).to.deep.include({ decision: 'granted', reason: 'ok', display: { offline: true } });
      address.pointAt(await startPlatform());
      expect((await door.controller!.sync()).uploaded).to.equal(1);
    } finally {
      await agent.stop();
      await provider.close();
    }
    expect(await db!.knex('access_door_events').where({ cardholder_id: holder.cardholderId, source: 'offline' })).to.have.length(2);
  });

  it('denies a revoked card offline after the next allow-list sync', async () => {
    await db!.knex('cards').where({ id: holder.cardId }).update({ status: 'revoked', revocation_reason: 'lost' });
    await db!.knex('pki_certificates').where({ card_id: holder.cardId }).update({ status: 'revoked', revoked_at: new Date(), revocation_reason: 'keyCompromise' });
    await controller.sync();
    await stopPlatform();
    expect(await presentCard()).to.deep.equal({ decision: 'denied', reason: 'card_not_active', offline: true });
    address.pointAt(await startPlatform());
  });
});
