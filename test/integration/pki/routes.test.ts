import { expect } from 'chai';
import type { PlatformService } from '../../../shared/service/index.js';
import { parseCertificates, parseCrl } from '../../../shared/x509/index.js';
import { mountPkiRoutes, pkiFor, pkiPart } from '../../../services/identity/pki/index.js';
import { sharedTestDatabase } from '../../support/test-database.js';
import { startTestPlatform, type TestPlatform } from '../../support/test-platform.js';
import { cardKey, newCardId, resetPki } from './pki-fixture.js';

/** The PKI part mounted the way the identity service mounts its parts. */
const pkiService: PlatformService = {
  name: 'pki-under-test',
  demoSeeders: pkiPart.demoSeeders,
  async routers(ctx) {
    await pkiPart.start(ctx);
    const api = ctx.createRouter();
    pkiPart.mount(api, ctx);
    return [api];
  },
};

describe('PKI: public routes', function () {
  // The first suite of a run creates the shared database (PGlite: all migrations), which can exceed mocha's 30 s on a busy machine.
  this.timeout(120_000);
  let platform: TestPlatform;
  before(async () => {
    const db = await sharedTestDatabase();
    await resetPki(db);
    platform = await startTestPlatform({ db, services: [pkiService], config: { publicUrl: 'https://cards.example.gov.uk' } });
  });
  after(async () => {
    await platform?.close();
    await resetPki(await sharedTestDatabase());
  });

  it('serves the CRL as DER (application/pkix-crl) without credentials, with cache headers', async () => {
    const response = await fetch(`${platform.baseUrl}/v1/pki/crl`);
    expect(response.status).to.equal(200);
    expect(response.headers.get('content-type')).to.equal('application/pkix-crl');
    expect(response.headers.get('cache-control')).to.match(/^public, max-age=\d+$/);
    const crl = parseCrl(new Uint8Array(await response.arrayBuffer()));
    expect(response.headers.get('etag')).to.equal(`"crl-${crl.crlNumber}"`);
    expect(new Date(response.headers.get('expires')!).getTime()).to.equal(Math.floor(crl.nextUpdate!.getTime() / 1000) * 1000);
    expect(crl.issuer).to.match(/Tessera Card Issuing CA/);
  });

  it('serves the same CRL as PEM, and the chain (issuing CA first, root last) as PEM', async () => {
    const pemResponse = await fetch(`${platform.baseUrl}/v1/pki/crl.pem`);
    expect(pemResponse.status).to.equal(200);
    const text = await pemResponse.text();
    expect(text).to.match(/^-----BEGIN X509 CRL-----\n/);
    const der = parseCrl(new Uint8Array(await (await fetch(`${platform.baseUrl}/v1/pki/crl`)).arrayBuffer()));
    expect(parseCrl(text).crlNumber).to.equal(der.crlNumber);

    const chainResponse = await fetch(`${platform.baseUrl}/v1/pki/ca`);
    expect(chainResponse.headers.get('content-type')).to.match(/^application\/pem-certificate-chain/);
    const chain = parseCertificates(await chainResponse.text());
    expect(chain.map((c) => c.extensions.basicConstraints?.pathLength)).to.deep.equal([0, undefined]);
    expect(chain[1]!.selfIssued).to.equal(true);
  });

  it('points card certificates at the public CRL URL and shows a revocation on the next fetch', async () => {
    const pki = pkiFor(platform.platform.ctx);
    const issued = await pki.issueCardCertificate({ profile: 'card-auth', publicKey: cardKey('p256'), cardId: newCardId(), cardholderRef: 'CH-9', notAfter: new Date(Date.now() + 365 * 86_400_000) });
    expect(issued.certificate.extensions.crlDistributionPoints).to.deep.equal(['https://cards.example.gov.uk/v1/pki/crl']);
    await platform.platform.ctx.db.knex.transaction((trx) => pki.revokeCertificate(trx, issued.serial, 'keyCompromise'));
    const crl = parseCrl(new Uint8Array(await (await fetch(`${platform.baseUrl}/v1/pki/crl`)).arrayBuffer()));
    expect(crl.entries.get(issued.serial)?.reason).to.equal('keyCompromise');
  });

  it('lists the three routes in the OpenAPI document as public, with their media types', async () => {
    const doc = (await (await fetch(`${platform.baseUrl}/openapi.json`)).json()) as { paths: Record<string, { get: { security: unknown[]; responses: Record<string, { content: Record<string, unknown> }> } }> };
    expect(doc.paths['/v1/pki/crl']?.get.security).to.deep.equal([]);
    expect(Object.keys(doc.paths['/v1/pki/crl']!.get.responses['200']!.content)).to.deep.equal(['application/pkix-crl']);
    expect(doc.paths['/v1/pki/crl.pem']?.get.security).to.deep.equal([]);
    expect(Object.keys(doc.paths['/v1/pki/ca']!.get.responses['200']!.content)).to.deep.equal(['application/pem-certificate-chain']);
  });

  it('answers 503 problem+json with ERR_PKI_NOT_INITIALISED while no CA exists', async () => {
    const db = await sharedTestDatabase();
    await resetPki(db);
    const bare = await startTestPlatform({
      db,
      services: [{ name: 'pki-routes-only', routers: (ctx) => [mountPkiRoutes(ctx.createRouter(), pkiFor(ctx))] }],
    });
    try {
      for (const path of ['/v1/pki/crl', '/v1/pki/ca']) {
        const response = await fetch(`${bare.baseUrl}${path}`);
        expect(response.status, path).to.equal(503);
        expect(response.headers.get('content-type')).to.match(/^application\/problem\+json/);
        expect(((await response.json()) as { type: string }).type).to.equal('urn:tessera:problem:pki-not-initialised');
      }
    } finally {
      await bare.close();
    }
  });
});
