import { randomBytes, randomUUID, verify, createHash, X509Certificate } from 'node:crypto';
import { expect } from 'chai';
import { PivClient, PivSlot } from '../../../shared/piv/index.js';
import { PcscReaderProvider, type CardConnection } from '../../../shared/readers/index.js';
import {
  DeskReaders,
  PcscDeskProvider,
  type DeskCardIntent,
  type DeskReaderProvider,
  type DeskSession,
} from '../../../services/identity/issuance/index.js';
import { clientAs, headerAuthenticator } from '../../support/test-auth.js';
import { missingPcscPieces, skipOrFailWhenMissing, usePcscd, type PcscdLease } from '../../support/pcscd.js';
import { sharedTestDatabase, type TestDatabase } from '../../support/test-database.js';
import { startTestPlatform, type TestPlatform } from '../../support/test-platform.js';
import { serveCardOnVpcd, type ServedCard } from '../../support/vpcd-card.js';
import { identityWithDesk, resetPkiTables } from '../../integration/issuance/issuance-fixture.js';
import { openssl, requireOpenssl } from '../../integration/pki/pki-fixture.js';

/**
 * Issuance on a blank simulated card served through the real pcscd and vpcd, as on a desk PC
 * with a PC/SC reader: the platform drives the card APDU by APDU through pcsclite. The card is
 * pulled out for real half way (the vpcd bridge stops, pcscd reports the removal), put back, and
 * the retry finishes it. The card answers on this process's event loop: only async child
 * processes here (openssl through execFile), never the *Sync variants.
 */
describe('issuance through pcscd and vpcd', function () {
  this.timeout(120_000);
  let pcscd: PcscdLease | undefined;
  let served: ServedCard | undefined;
  let db: TestDatabase;
  let platform: TestPlatform;
  let desk: ReturnType<typeof clientAs>;
  /** Pull the card out (through pcscd) just before this APDU of the next session; undefined: never. */
  let pullBefore: number | undefined;

  /** The PC/SC desk, with a hook that removes the served card after N APDUs of a session. */
  class PullingProvider implements DeskReaderProvider {
    readonly kind = 'pcsc';
    constructor(readonly inner: PcscDeskProvider) {}
    serves = (name: string) => this.inner.serves(name);
    list = () => this.inner.list();
    close = () => this.inner.close();
    async open(name: string, intent: DeskCardIntent): Promise<DeskSession> {
      const session = await this.inner.open(name, intent);
      const at = pullBefore;
      let sent = 0;
      return {
        deskReader: name,
        transmit: async (command) => {
          if (at !== undefined && sent++ === at) await served!.remove();
          return session.transmit(command);
        },
        release: (outcome) => session.release(outcome),
      };
    }
  }

  before(async function () {
    skipOrFailWhenMissing(this, await missingPcscPieces());
    await requireOpenssl(this);
    pcscd = await usePcscd();
    served = await serveCardOnVpcd({ alg: 'p256', provision: false });
    db = await sharedTestDatabase();
    await resetPkiTables(db);
    const deskReaders = new DeskReaders([new PullingProvider(new PcscDeskProvider([served.reader]))]);
    platform = await startTestPlatform({ db, services: [identityWithDesk(deskReaders)], authenticate: headerAuthenticator, keyEncryptionKey: randomBytes(32) });
    desk = clientAs(platform.baseUrl, 'reception');
  });

  after(async () => {
    await platform?.close();
    if (db) await resetPkiTables(db);
    await served?.close();
    await pcscd?.release();
  });

  async function withCard<T>(work: (client: PivClient) => Promise<T>): Promise<T> {
    const provider = new PcscReaderProvider();
    let connection: CardConnection | undefined;
    try {
      connection = await provider.connect(served!.reader);
      const client = new PivClient(connection);
      await client.select();
      return await work(client);
    } finally {
      await connection?.disconnect('reset');
      await provider.close();
    }
  }

  it('issues a card on the blank card in the vpcd reader, resuming after a real removal half way', async () => {
    const enrolled = await desk.post('/v1/cardholders', { givenName: 'Pcsc', familyName: `Holder ${randomUUID().slice(0, 8)}`, kind: 'staff' });
    const holder = enrolled.body as { id: string };
    pullBefore = 18;
    const interrupted = await desk.post(`/v1/cardholders/${holder.id}/cards`, { deskReader: served!.reader, pin: '470219' });
    pullBefore = undefined;
    expect(interrupted.status, JSON.stringify(interrupted.body)).to.equal(409);
    expect(interrupted.body.code).to.equal('ERR_CARD_REMOVED');
    const [half] = await db.knex('cards').where({ cardholder_id: holder.id });
    expect(half.status).to.equal('issuing');

    await served!.insert();
    const response = await desk.post(`/v1/cardholders/${holder.id}/cards`, { deskReader: served!.reader, pin: '470219', activate: true });
    expect(response.status, JSON.stringify(response.body)).to.equal(201);
    expect(response.body).to.include({ id: half.id, status: 'active', resumed: true });

    // What a relying party sees through PC/SC: the certificates chain to the platform CA, and the 9E key signs.
    const certificate = await withCard(async (client) => {
      const cert = new X509Certificate(await client.readCertificate(PivSlot.CardAuthentication));
      const challenge = randomBytes(32);
      const signature = await client.signDigest(PivSlot.CardAuthentication, 'P256', createHash('sha256').update(challenge).digest());
      expect(verify('sha256', challenge, { key: cert.publicKey, dsaEncoding: 'der' }, signature)).to.equal(true);
      return cert;
    });
    const chain = await (await fetch(`${platform.baseUrl}/v1/pki/ca`)).text();
    const crl = await (await fetch(`${platform.baseUrl}/v1/pki/crl.pem`)).text();
    const result = await openssl(['verify', '-crl_check', '-CAfile', '{chain.pem}', '-CRLfile', '{crl.pem}', '{cert.pem}'], {
      'chain.pem': chain,
      'crl.pem': crl,
      'cert.pem': certificate.toString(),
    });
    expect(result.stdout + result.stderr).to.match(/: OK\s*$/);

    // PIN unblock at the desk, through the same reader.
    await withCard(async (client) => {
      for (let i = 0; i < 3; i++) await client.verifyPin('000001').catch(() => undefined);
      expect((await client.pinStatus()).blocked).to.equal(true);
    });
    const unblocked = await desk.post(`/v1/cards/${half.id}/pin/unblock`, { deskReader: served!.reader, newPin: '593018' });
    expect(unblocked.status, JSON.stringify(unblocked.body)).to.equal(200);
    await withCard((client) => client.verifyPin('593018'));
  });

  it('refuses the issued card as a blank one; an empty reader and a reader that is not attached are desk problems', async () => {
    const enrolled = await desk.post('/v1/cardholders', { givenName: 'Pcsc', familyName: `Other ${randomUUID().slice(0, 8)}`, kind: 'staff' });
    const refused = await desk.post(`/v1/cardholders/${enrolled.body.id}/cards`, { deskReader: served!.reader, pin: '470219' });
    expect(refused.status).to.equal(409);
    expect(refused.body.code).to.equal('ERR_CARD_NOT_BLANK');
    await served!.remove();
    const empty = await desk.post(`/v1/cardholders/${enrolled.body.id}/cards`, { deskReader: served!.reader, pin: '470219' });
    expect(empty.status, JSON.stringify(empty.body)).to.equal(409);
    expect(empty.body.code).to.equal('ERR_DESK_NO_CARD');
    await served!.insert();
    // A desk configured for a reader this host does not have.
    const absent = new DeskReaders([new PcscDeskProvider(['No Such Reader 00 00'])]);
    const error = await absent.open('No Such Reader 00 00', { kind: 'blank' }).catch((e: unknown) => e);
    await absent.close();
    expect((error as { code?: string }).code).to.equal('ERR_DESK_READER_UNAVAILABLE');
    expect((error as { status?: number }).status).to.equal(503);
  });
});
