import { expect } from 'chai';
import { verifyAuditChain } from '../../../shared/audit/index.js';
import { PivClient, WrongPinError } from '../../../shared/piv/index.js';
import { openssl, requireOpenssl } from '../pki/pki-fixture.js';
import { channelOf, checkUsableCard } from './card-check.js';
import { DESK, issuanceFixture, type IssuanceFixture } from './issuance-fixture.js';

describe('issuance: a blank card at the desk becomes a cardholder card', function () {
  let f: IssuanceFixture;
  before(async function () {
    this.timeout(120_000);
    await requireOpenssl(this);
    f = await issuanceFixture();
  });
  after(() => f?.dispose());

  async function chainAndCrl() {
    const chain = await (await fetch(`${f.platform.baseUrl}/v1/pki/ca`)).text();
    const crl = await (await fetch(`${f.platform.baseUrl}/v1/pki/crl.pem`)).text();
    return { chain, crl };
  }

  async function opensslVerify(pem: string) {
    const { chain, crl } = await chainAndCrl();
    return openssl(['verify', '-crl_check', '-CAfile', '{chain.pem}', '-CRLfile', '{crl.pem}', '{cert.pem}'], { 'chain.pem': chain, 'crl.pem': crl, 'cert.pem': pem });
  }

  for (const algorithm of ['p256', 'rsa2048'] as const) {
    it(`issues a ${algorithm} card whose certificates verify with openssl, whose keys sign, and revocation shows in the CRL`, async () => {
      const holder = await f.enrol();
      const response = await f.desk.post(`/v1/cardholders/${holder.id}/cards`, { deskReader: DESK, pin: '204863', algorithm });
      expect(response.status, JSON.stringify(response.body)).to.equal(201);
      const card = response.body;
      expect(card).to.include({ cardholderId: holder.id, status: 'issued', algorithm, kind: 'standard', cardGuid: card.id, resumed: false });
      expect(card.certificates.map((c: any) => c.slot)).to.deep.equal(['9A', '9E']);
      // The card left the desk with its holder.
      expect(f.stock.cardIn(DESK)).to.equal(undefined);
      const physical = f.stock.issuedCard(card.id)!;
      const certificates = await checkUsableCard(channelOf(physical), { cardId: card.id, pin: '204863', algorithm });
      for (const certificate of Object.values(certificates)) {
        const result = await opensslVerify(certificate.toString());
        expect(result.stdout + result.stderr, 'openssl verify').to.match(/: OK\s*$/);
      }
      // Nothing secret is readable from the record.
      const row = await f.db.knex('cards').where({ id: card.id }).first();
      expect(row.management_key_sealed).to.match(/^v1:/);
      expect(row.puk_sealed).to.match(/^v1:/);
      expect(JSON.stringify(row.issuance)).not.to.include('204863');

      const revoked = await f.desk.post(`/v1/cards/${card.id}/revoke`, { reason: 'stolen' });
      expect(revoked.status, JSON.stringify(revoked.body)).to.equal(200);
      for (const certificate of Object.values(certificates)) {
        const result = await opensslVerify(certificate.toString());
        expect(result.code).not.to.equal(0);
        expect(result.stdout + result.stderr).to.match(/certificate revoked/);
      }
    });
  }

  it('activates at once when asked, and the wrong PIN is refused by the card', async () => {
    const holder = await f.enrol();
    const response = await f.desk.post(`/v1/cardholders/${holder.id}/cards`, { deskReader: DESK, pin: '590317', activate: true });
    expect(response.status, JSON.stringify(response.body)).to.equal(201);
    expect(response.body.status).to.equal('active');
    const client = new PivClient(channelOf(f.stock.issuedCard(response.body.id)!));
    await client.select();
    let wrong: unknown;
    try {
      await client.verifyPin('123456');
    } catch (error) {
      wrong = error;
    }
    expect(wrong).to.be.instanceOf(WrongPinError);
  });

  it('audits every step and keeps the chain whole', async () => {
    const holder = await f.enrol();
    const response = await f.desk.post(`/v1/cardholders/${holder.id}/cards`, { deskReader: DESK, pin: '731902' });
    const events = await f.db.knex('audit_events').where({ subject_id: response.body.id }).orderBy('seq');
    const steps = events.filter((e: any) => e.action === 'issuance.step').map((e: any) => e.details.step);
    expect(steps).to.deep.equal(['management-key', 'key-9a', 'key-9e', 'certificate-9a', 'certificate-9e', 'chuid', 'puk', 'pin', 'self-test']);
    expect(events.map((e: any) => e.action)).to.include.members(['issuance.begin', 'card.complete-issuance', 'issuance.complete']);
    expect((await verifyAuditChain(f.db)).ok).to.equal(true);
  });

  it('refuses a second card while one is in use, and a card that is not blank', async () => {
    const holder = await f.enrol();
    expect((await f.desk.post(`/v1/cardholders/${holder.id}/cards`, { deskReader: DESK, pin: '731902' })).status).to.equal(201);
    const again = await f.desk.post(`/v1/cardholders/${holder.id}/cards`, { deskReader: DESK, pin: '731902' });
    expect(again.status).to.equal(409);
    expect(again.body.code).to.equal('ERR_ACTIVE_CARD_EXISTS');
    // Someone else's issued card put in the desk reader.
    const other = await f.enrol();
    const first = await f.desk.post(`/v1/cardholders/${other.id}/cards`, { deskReader: DESK, pin: '731902' });
    f.stock.insert(DESK, f.stock.issuedCard(first.body.id)!);
    const third = await f.enrol();
    const refused = await f.desk.post(`/v1/cardholders/${third.id}/cards`, { deskReader: DESK, pin: '731902' });
    expect(refused.status).to.equal(409);
    expect(refused.body).to.include({ code: 'ERR_CARD_NOT_BLANK', cardId: first.body.id });
    expect(refused.headers.get('content-type')).to.match(/problem\+json/);
    const audit = await f.db.knex('audit_events').where({ action: 'issuance.refuse', subject_id: third.id });
    expect(audit.map((e: any) => e.details)).to.deep.equal([{ purpose: 'new', deskReader: DESK, code: 'ERR_CARD_NOT_BLANK', cardId: first.body.id }]);
    f.stock.eject(DESK);
  });
});
