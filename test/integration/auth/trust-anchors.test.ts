import { expect } from 'chai';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TapModule } from '../../../shared/modules/index.js';
import { ForeignCa, type ForeignCard } from '../../../services/auth/testing/foreign-ca.js';
import { sharedTestDatabase, type TestDatabase } from '../../support/test-database.js';
import { tapEnvironment, type TapEnvironment } from './tap-fixture.js';

const PIN_POLICY = '2.16.840.1.101.3.2.1.3.13';
const vault: TapModule = {
  name: 'vault',
  purposes: {
    'vault.open': { description: 'needs the PIN', minimumAssurance: 'card+pin' },
    'vault.audit': { description: 'our own cards only', minimumAssurance: 'card', allowExternal: false },
  },
  decide: async (tap) => ({ decision: 'granted', display: { issuer: tap.credential.kind === 'external' ? tap.credential.anchorName : 'us' } }),
};

/** Serves whatever CRL the test sets, like another council's web server. */
class CrlServer {
  crl: Uint8Array | undefined;
  requests = 0;
  readonly #server: Server = createServer((_req, res) => {
    this.requests++;
    if (!this.crl) return void res.writeHead(503).end();
    res.writeHead(200, { 'content-type': 'application/pkix-crl' }).end(Buffer.from(this.crl));
  });
  listen(): Promise<string> {
    return new Promise((resolve) => this.#server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(this.#server.address() as AddressInfo).port}/ca.crl`)));
  }
  close(): Promise<void> {
    return new Promise((resolve) => this.#server.close(() => resolve()));
  }
}

describe('auth: external trust anchors limited to chosen purposes, with their CRL', function () {
  this.timeout(120_000);
  let db: TestDatabase;
  let env: TapEnvironment;
  let ca: ForeignCa;
  let card: ForeignCard;
  const crls = new CrlServer();
  let crlUrl: string;
  let anchorId: string;

  before(async () => {
    db = await sharedTestDatabase();
    env = await tapEnvironment({ db, modules: [vault] });
    ca = await ForeignCa.create(`Neighbouring Council ${Date.now()}`);
    card = await ca.issueCard('Robert Owen', { pinPolicy: PIN_POLICY });
    crlUrl = await crls.listen();
  });
  after(async () => {
    await crls.close();
    await env.close();
  });

  it('refuses cards of a CA that is not (yet) a trust anchor', async () => {
    expect((await env.tap(card as never)).body).to.include({ decision: 'denied', reason: 'certificate_untrusted' });
  });

  it('refuses anchors that cannot be: a leaf certificate, an unknown purpose, a purpose for our cards only', async () => {
    const leaf = await env.p.admin.post('/v1/trust-anchors', { name: 'leaf', certificate: Buffer.from(card.certificates['9E']).toString('base64'), purposes: ['identity.verify'] });
    expect(leaf.status).to.equal(422);
    expect(leaf.body.code).to.equal('ERR_TRUST_ANCHOR_INVALID');
    const unknown = await env.p.admin.post('/v1/trust-anchors', { name: 'x', certificate: ca.pem, purposes: ['door.open'] });
    expect(unknown.status).to.equal(422);
    const ours = await env.p.admin.post('/v1/trust-anchors', { name: 'x', certificate: ca.pem, purposes: ['vault.audit'] });
    expect(ours.status).to.equal(422);
  });

  it('adds the CA for identity.verify and vault.open with its CRL fetched and cached, and grants its cards', async () => {
    crls.crl = await ca.crl([]);
    const added = await env.p.admin.post('/v1/trust-anchors', { name: ca.name, certificate: ca.pem, purposes: ['identity.verify', 'vault.open'], crlUrl, pinPolicyOids: [PIN_POLICY] });
    expect(added.status, JSON.stringify(added.body)).to.equal(201);
    anchorId = added.body.id;
    expect(added.body.crl).to.include({ url: crlUrl, current: true, error: null });
    expect(crls.requests).to.equal(1);
    const again = await env.p.admin.post('/v1/trust-anchors', { name: 'twice', certificate: ca.pem, purposes: ['identity.verify'] });
    expect(again.status).to.equal(409);

    const result = await env.tap(card as never);
    expect(result.body).to.include({ decision: 'granted', assurance: 'card' });
    expect(result.body.cardholder).to.deep.equal({ name: `CN=Robert Owen card, O=${ca.name}`, organisation: ca.name });
    expect(await db.knex('taps').where({ id: result.tapId }).first()).to.include({ issuer: anchorId, card_id: null, cardholder_id: null });
    // The CRL is cached: taps do not fetch it.
    await env.tap(card as never);
    expect(crls.requests).to.equal(1);
  });

  it('gives card+pin to the PIN-protected certificate its policy names', async () => {
    const reader = await env.newReader({ module: 'vault' });
    const result = await env.tap(card as never, { via: reader, purpose: 'vault.open' });
    expect(result.body).to.include({ decision: 'granted', assurance: 'card+pin' });
    expect(result.body.display).to.deep.equal({ issuer: ca.name });
  });

  it('denies anchor_not_allowed for a purpose the anchor is not trusted for', async () => {
    await env.p.admin.patch(`/v1/trust-anchors/${anchorId}`, { purposes: ['identity.verify'] });
    const reader = await env.newReader({ module: 'vault' });
    expect((await env.tap(card as never, { via: reader, purpose: 'vault.open' })).body).to.include({ decision: 'denied', reason: 'anchor_not_allowed' });
  });

  it('denies certificate_revoked once the CRL lists the card, and refuses a CRL someone else signed', async () => {
    const other = await ForeignCa.create('Impostor');
    crls.crl = await other.crl([]);
    const forged = await env.p.admin.post(`/v1/trust-anchors/${anchorId}/crl/refresh`);
    expect(forged.status).to.equal(502);
    expect(forged.body.code).to.equal('ERR_TRUST_ANCHOR_CRL_UNAVAILABLE');
    expect((await env.p.admin.get(`/v1/trust-anchors/${anchorId}`)).body.crl.error).to.contain('not valid');

    crls.crl = await ca.crl([card.serials['9E']]);
    expect((await env.p.admin.post(`/v1/trust-anchors/${anchorId}/crl/refresh`)).status).to.equal(200);
    expect((await env.tap(card as never)).body).to.include({ decision: 'denied', reason: 'certificate_revoked' });
  });

  it('fails closed with revocation_unknown when the CRL is past its nextUpdate', async () => {
    const fresh = await ca.issueCard('Ada Byron');
    expect((await env.tap(fresh as never)).body.decision).to.equal('granted');
    env.clock.advance(25 * 3_600_000);
    expect((await env.tap(fresh as never)).body).to.include({ decision: 'denied', reason: 'revocation_unknown' });
    // An uploaded current CRL (an issuer without a reachable URL) restores it.
    const uploaded = await env.p.admin.post(`/v1/trust-anchors/${anchorId}/crl`, { crl: Buffer.from(await ca.crl([], { thisUpdate: env.clock.now(), hours: 24 })).toString('base64') });
    expect(uploaded.status, JSON.stringify(uploaded.body)).to.equal(200);
    expect((await env.tap(fresh as never)).body.decision).to.equal('granted');
  });

  it('stops trusting a disabled anchor', async () => {
    await env.p.admin.post(`/v1/trust-anchors/${anchorId}/disable`);
    const fresh = await ca.issueCard('Emma Cons');
    expect((await env.tap(fresh as never)).body).to.include({ decision: 'denied', reason: 'certificate_untrusted' });
  });

  it('adds an anchor whose CRL cannot be fetched, and denies revocation_unknown until it can', async () => {
    const silent = await ForeignCa.create(`Silent Board ${Date.now()}`);
    crls.crl = undefined;
    const added = await env.p.admin.post('/v1/trust-anchors', { name: silent.name, certificate: silent.pem, purposes: ['identity.verify'], crlUrl });
    expect(added.status).to.equal(201);
    expect(added.body.crl.current).to.equal(false);
    expect(added.body.crl.error).to.contain('503');
    const holder = await silent.issueCard('Octavia Hill');
    expect((await env.tap(holder as never)).body).to.include({ decision: 'denied', reason: 'revocation_unknown' });
    const audit = await db.knex('audit_events').where({ action: 'trust-anchor.add', subject_id: added.body.id });
    expect(audit).to.have.length(1);
  });
});
