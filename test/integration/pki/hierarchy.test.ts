import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
import { openDatabase, type Database } from '../../../shared/db/index.js';
import { SealedBox } from '../../../shared/secrets/index.js';
import { OID, verifyChain } from '../../../shared/x509/index.js';
import { PlatformPki } from '../../../services/identity/pki/index.js';
import { onPostgres } from '../../support/test-database.js';
import { cardKey, CRL_URL, newCardId, pkiFixture, resetPki, yearsFromNow, type PkiFixture } from './pki-fixture.js';

describe('PKI: the CA hierarchy', function () {
  // The first suite of a run creates the shared database (PGlite: all migrations), which can exceed mocha's 30 s on a busy machine.
  this.timeout(120_000);
  let f: PkiFixture;
  before(async () => {
    f = await pkiFixture();
  });
  after(() => f?.dispose());

  it('creates a P-384 root and a P-256 issuing CA under it on first start, with a first CRL', async () => {
    const [issuing, root] = await f.pki.authorities();
    expect(issuing?.role).to.equal('issuing');
    expect(root?.role).to.equal('root');
    expect(root!.certificate.subject).to.equal('O=Demo Council, CN=Demo Council Tessera Root CA');
    expect(issuing!.certificate.subject).to.equal('O=Demo Council, CN=Demo Council Tessera Card Issuing CA');
    expect(root!.certificate.keyDescription).to.deep.equal({ type: 'ec', curve: 'P-384' });
    expect(issuing!.certificate.keyDescription).to.deep.equal({ type: 'ec', curve: 'P-256' });
    const status = await f.pki.status();
    expect(status.crl?.crlNumber).to.equal(1n);
    expect(status.crl?.entryCount).to.equal(0);
  });

  it('gives the root and issuing CA the extensions of a CA (RFC 5280 §4.2.1.3, §4.2.1.9)', async () => {
    const [issuing, root] = await f.pki.authorities();
    const r = root!.certificate.extensions;
    expect(r.basicConstraints).to.deep.equal({ ca: true, pathLength: undefined });
    expect([...r.keyUsage!]).to.have.members(['keyCertSign', 'cRLSign']);
    expect(r.critical).to.have.members([OID.basicConstraints, OID.keyUsage]);
    expect(root!.certificate.selfIssued).to.equal(true);
    const i = issuing!.certificate.extensions;
    expect(i.basicConstraints).to.deep.equal({ ca: true, pathLength: 0 });
    expect([...i.keyUsage!]).to.have.members(['keyCertSign', 'cRLSign']);
    expect(i.authorityKeyId).to.equal(r.subjectKeyId);
    expect(issuing!.certificate.notAfter.getTime()).to.be.at.most(root!.certificate.notAfter.getTime());
    expect(issuing!.certificate.signed.algorithmOid).to.equal(OID.ecdsaWithSHA384);
    verifyChain(issuing!.certificate, { anchors: [root!.certificate], at: f.clock.now(), revocation: 'skip' });
  });

  it('is idempotent: a second start keeps the same CA and CRL', async () => {
    const before = (await f.pki.authorities()).map((a) => a.certificate.fingerprint);
    await f.pki.ensureHierarchy();
    await new PlatformPki({ db: f.db, secrets: f.secrets, now: f.clock.now, organisation: 'Another', crlUrl: CRL_URL }).ensureHierarchy();
    expect((await f.pki.authorities()).map((a) => a.certificate.fingerprint)).to.deep.equal(before);
    expect((await f.pki.status()).crl?.crlNumber).to.equal(1n);
  });

  it('stores CA keys sealed, bound to their row, and never in any status output', async () => {
    const rows: { id: string; role: string; sealed_private_key: string }[] = await f.db.knex('pki_authorities').select('id', 'role', 'sealed_private_key');
    expect(rows).to.have.length(2);
    for (const row of rows) {
      expect(row.sealed_private_key).to.match(/^v1:/);
      // The PKCS#8 header of an EC key (30 81 / 30 81 87 ... 02 01 00 30 13 06 07 2a 86 48 ce 3d 02 01) must not appear in clear.
      expect(Buffer.from(row.sealed_private_key.slice(3), 'base64').includes(Buffer.from('2a8648ce3d0201', 'hex'))).to.equal(false);
      expect(() => f.secrets.open(row.sealed_private_key, `pki:${row.role === 'root' ? 'issuing' : 'root'}-ca-key:${row.id}`)).to.throw();
    }
    expect(JSON.stringify(await f.pki.status(), (_, v) => (typeof v === 'bigint' ? v.toString() : v))).to.not.match(/v1:|PRIVATE/);
  });

  it('fails with ERR_PKI_NOT_INITIALISED, naming the likely cause, when the KEK is not the one that sealed the key', async () => {
    const wrongKek = new PlatformPki({ db: f.db, secrets: new SealedBox(randomBytes(32)), now: f.clock.now, organisation: 'Demo Council', crlUrl: CRL_URL });
    const error = await wrongKek
      .issueCardCertificate({ profile: 'card-auth', publicKey: cardKey('p256'), cardId: newCardId(), cardholderRef: 'CH-1', notAfter: yearsFromNow(f.clock, 1) })
      .then(() => undefined, (e: unknown) => e as { code: string; message: string });
    expect(error?.code).to.equal('ERR_PKI_NOT_INITIALISED');
    expect(error?.message).to.include('TESSERA_KEK');
  });

  it('refuses a second active root at the database level (the last guard)', async () => {
    const [, root] = await f.pki.authorities();
    const row = await f.db.knex('pki_authorities').where({ id: root!.id }).first();
    const error = await f.db.knex('pki_authorities').insert({ ...row, id: '00000000-0000-4000-8000-000000000001' }).then(() => undefined, (e: { code?: string }) => e);
    expect(error?.code).to.equal('23505');
  });

  it('answers ERR_PKI_NOT_INITIALISED before any CA exists', async () => {
    await resetPki(f.db);
    const error = await f.pki.currentCrl().then(() => undefined, (e: { code: string }) => e);
    expect(error?.code).to.equal('ERR_PKI_NOT_INITIALISED');
    expect((await f.pki.status()).authorities).to.deep.equal([]);
  });

  it('ends with one CA when two processes initialise at once', async () => {
    // On PostgreSQL: two pools, as two processes would have; on PGlite (one connection) the same race in one process.
    await resetPki(f.db);
    const second = onPostgres ? openDatabase({ databaseUrl: f.db.url!, poolMax: 4 }) : f.db;
    try {
      const make = (database: Database) => new PlatformPki({ db: database, secrets: f.secrets, now: f.clock.now, organisation: 'Demo Council', crlUrl: CRL_URL });
      const [a, b, c] = await Promise.all([make(f.db).ensureHierarchy(), make(second).ensureHierarchy(), make(f.db).ensureHierarchy()]);
      expect(b.map((x) => x.id)).to.deep.equal(a.map((x) => x.id));
      expect(c.map((x) => x.id)).to.deep.equal(a.map((x) => x.id));
      const counts: { role: string; n: string | number }[] = await f.db.knex('pki_authorities').select('role').count({ n: '*' }).groupBy('role');
      expect(Object.fromEntries(counts.map((x) => [x.role, Number(x.n)]))).to.deep.equal({ root: 1, issuing: 1 });
      const crls = await f.db.knex('pki_crls').count({ n: '*' }).first();
      expect(Number(crls?.n)).to.equal(1);
    } finally {
      if (second !== f.db) await second.close();
    }
  });
});
