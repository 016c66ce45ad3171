import { expect } from 'chai';
import { PivClient, WrongPukError } from '../../../shared/piv/index.js';
import { ISSUANCE_STEPS } from '../../../services/identity/issuance/index.js';
import { clientAs } from '../../support/test-auth.js';
import { channelOf, checkUsableCard } from './card-check.js';
import { DESK, issuanceFixture, type IssuanceFixture } from './issuance-fixture.js';

const DAY = 86_400_000;

describe('desk operations: PIN change and unblock, dead cards, replace, renew', function () {
  let f: IssuanceFixture;
  before(async function () {
    // PGlite start-up and the CA's keys take a while on a loaded machine.
    this.timeout(120_000);
    f = await issuanceFixture();
  });
  after(() => f?.dispose());

  async function issued(pin = '285017', extra: Record<string, unknown> = {}) {
    const holder = await f.enrol();
    const response = await f.desk.post(`/v1/cardholders/${holder.id}/cards`, { deskReader: DESK, pin, activate: true, ...extra });
    expect(response.status, JSON.stringify(response.body)).to.equal(201);
    return { holder, card: response.body as { id: string; expiresAt: string } };
  }

  it('changes the PIN with the current one, and refuses a wrong current PIN with the tries left', async () => {
    const { card } = await issued('285017');
    const wrong = await f.desk.post(`/v1/cards/${card.id}/pin/change`, { deskReader: DESK, currentPin: '999999', newPin: '613920' });
    expect(wrong.status).to.equal(422);
    expect(wrong.body).to.include({ code: 'ERR_CARD_WRONG_PIN', triesLeft: 2 });
    const weak = await f.desk.post(`/v1/cards/${card.id}/pin/change`, { deskReader: DESK, currentPin: '285017', newPin: '111111' });
    expect(weak.status).to.equal(422);
    expect(weak.body).to.include({ code: 'ERR_PIN_RULE', rule: 'repeated', field: 'newPin' });
    const ok = await f.desk.post(`/v1/cards/${card.id}/pin/change`, { deskReader: DESK, currentPin: '285017', newPin: '613920' });
    expect(ok.status, JSON.stringify(ok.body)).to.equal(200);
    await checkUsableCard(channelOf(f.stock.issuedCard(card.id)!), { cardId: card.id, pin: '613920', algorithm: 'p256' });
    const audit = await f.db.knex('audit_events').where({ subject_id: card.id, action: 'card.pin-change' }).orderBy('seq');
    expect(audit.map((e: any) => e.details.outcome)).to.deep.equal(['failed', 'done']);
  });

  it('unblocks a blocked PIN with the PUK the platform keeps', async () => {
    const { card } = await issued('285017');
    const client = new PivClient(channelOf(f.stock.issuedCard(card.id)!));
    await client.select();
    for (let i = 0; i < 3; i++) await client.verifyPin('000001').catch(() => undefined);
    expect((await client.pinStatus()).blocked).to.equal(true);
    const response = await f.desk.post(`/v1/cards/${card.id}/pin/unblock`, { deskReader: DESK, newPin: '730418' });
    expect(response.status, JSON.stringify(response.body)).to.equal(200);
    await checkUsableCard(channelOf(f.stock.issuedCard(card.id)!), { cardId: card.id, pin: '730418', algorithm: 'p256' });
  });

  it('a card whose PUK was blocked elsewhere is dead: revoked, and replaced at the desk', async () => {
    const { holder, card } = await issued('285017');
    // The cardholder tried PUKs at home: three wrong ones block it, as on any PIV card.
    const client = new PivClient(channelOf(f.stock.issuedCard(card.id)!));
    await client.select();
    for (let i = 0; i < 3; i++) {
      const error = await client.unblockPin('00000000', '123789').catch((e) => e);
      expect(error).to.be.instanceOf(WrongPukError);
    }
    const response = await f.desk.post(`/v1/cards/${card.id}/pin/unblock`, { deskReader: DESK, newPin: '730418' });
    expect(response.status).to.equal(409);
    expect(response.body).to.include({ code: 'ERR_CARD_DEAD', cardId: card.id });
    const after = await f.desk.get(`/v1/cards/${card.id}`);
    expect(after.body).to.include({ status: 'revoked', revocationReason: 'damaged' });
    const again = await f.desk.post(`/v1/cards/${card.id}/pin/unblock`, { deskReader: DESK, newPin: '730418' });
    expect(again.body.code).to.equal('ERR_CARD_DEAD');
    const replaced = await f.desk.post(`/v1/cards/${card.id}/replace`, { reason: 'damaged', deskReader: DESK, pin: '502846' });
    expect(replaced.status, JSON.stringify(replaced.body)).to.equal(201);
    expect(replaced.body).to.include({ cardholderId: holder.id, replacesCardId: card.id, status: 'issued' });
  });

  it('replaces a lost card: the old one is revoked (keyCompromise in the CRL) before the new one is issued', async () => {
    const { holder, card } = await issued('285017');
    f.clock.advance(1000);
    const response = await f.desk.post(`/v1/cards/${card.id}/replace`, { reason: 'lost', deskReader: DESK, pin: '502846', activate: true });
    expect(response.status, JSON.stringify(response.body)).to.equal(201);
    expect(response.body).to.include({ cardholderId: holder.id, replacesCardId: card.id, status: 'active' });
    expect((await f.desk.get(`/v1/cards/${card.id}`)).body).to.include({ status: 'revoked', revocationReason: 'lost' });
    const old = await f.db.knex('pki_certificates').where({ card_id: card.id });
    expect(old.map((c: any) => c.revocation_reason)).to.deep.equal(['keyCompromise', 'keyCompromise']);
    // Cards are a cardholder's; the list shows both, newest first.
    const list = await f.desk.get(`/v1/cardholders/${holder.id}/cards`);
    expect(list.body.items.map((c: any) => c.id)).to.deep.equal([response.body.id, card.id]);
  });

  it('renews only within the window; the old card stays in use until the new one is complete', async () => {
    const { card } = await issued('285017', { expiresAt: new Date(f.clock.now().getTime() + 200 * DAY).toISOString() });
    const early = await f.desk.post(`/v1/cards/${card.id}/renew`, { deskReader: DESK, pin: '502846' });
    expect(early.status).to.equal(409);
    expect(early.body.code).to.equal('ERR_RENEWAL_TOO_EARLY');
    f.clock.advance(120 * DAY);
    // Pulled out half way: the old card is still the one in use.
    f.flaky.failAfter = { apdus: 20, when: 'before' };
    const interrupted = await f.desk.post(`/v1/cards/${card.id}/renew`, { deskReader: DESK, pin: '502846' });
    f.flaky.failAfter = undefined;
    expect(interrupted.body.code).to.equal('ERR_CARD_REMOVED');
    expect((await f.desk.get(`/v1/cards/${card.id}`)).body.status).to.equal('active');
    const renewed = await f.desk.post(`/v1/cards/${card.id}/renew`, { deskReader: DESK, pin: '502846', activate: true });
    expect(renewed.status, JSON.stringify(renewed.body)).to.equal(201);
    expect(renewed.body).to.include({ replacesCardId: card.id, status: 'active', resumed: true });
    expect((await f.desk.get(`/v1/cards/${card.id}`)).body).to.include({ status: 'revoked', revocationReason: 'superseded' });
    f.clock.set(new Date());
  });

  it('shows the progress of an issuance, and abandons one that will not finish', async () => {
    const holder = await f.enrol();
    f.flaky.failAfter = { apdus: 15, when: 'before' };
    await f.desk.post(`/v1/cardholders/${holder.id}/cards`, { deskReader: DESK, pin: '502846' });
    f.flaky.failAfter = undefined;
    const [row] = await f.db.knex('cards').where({ cardholder_id: holder.id });
    const progress = await f.desk.get(`/v1/cards/${row.id}/issuance`);
    expect(progress.body).to.include({ inProgressAt: null, purpose: 'new', attempts: 1 });
    const done: string[] = progress.body.stepsDone;
    expect(done.slice(0, 4)).to.deep.equal(['identified', 'management-key', 'key-9a', 'key-9e']);
    expect(progress.body.nextStep).to.equal(ISSUANCE_STEPS[done.length]);
    const abandoned = await f.desk.delete(`/v1/cards/${row.id}/issuance`);
    expect(abandoned.status, JSON.stringify(abandoned.body)).to.equal(200);
    expect(await f.db.knex('cards').where({ cardholder_id: holder.id })).to.have.length(0);
    f.stock.eject(DESK);
  });

  it('erasing a cardholder revokes the certificates a half-issued card already got', async () => {
    const holder = await f.enrol();
    // Pulled out after both certificates were issued and written.
    f.flaky.failAfter = { apdus: 17, when: 'before' };
    await f.desk.post(`/v1/cardholders/${holder.id}/cards`, { deskReader: DESK, pin: '502846' });
    f.flaky.failAfter = undefined;
    const [row] = await f.db.knex('cards').where({ cardholder_id: holder.id });
    expect(row.status).to.equal('issuing');
    expect(Object.keys(row.issuance.certificates)).to.have.length(2);
    const erased = await clientAs(f.platform.baseUrl, 'admin').post(`/v1/cardholders/${holder.id}/erasure`);
    expect(erased.status, JSON.stringify(erased.body)).to.equal(200);
    expect(await f.db.knex('cards').where({ cardholder_id: holder.id })).to.have.length(0);
    const certificates = await f.db.knex('pki_certificates').where({ card_id: row.id });
    expect(certificates.map((c: any) => c.status)).to.deep.equal(['revoked', 'revoked']);
    f.stock.eject(DESK);
  });

  it('lists the desk readers, and maps an unknown reader and an empty one to problems', async () => {
    const list = await f.desk.get('/v1/desk-readers');
    expect(list.body.items.map((d: any) => d.name)).to.deep.equal(['Desk 1', 'Desk 2']);
    const holder = await f.enrol();
    const unknown = await f.desk.post(`/v1/cardholders/${holder.id}/cards`, { deskReader: 'Nowhere', pin: '502846' });
    expect(unknown.status).to.equal(404);
    expect(unknown.body.code).to.equal('ERR_DESK_READER_UNKNOWN');
    const { card } = await issued('285017');
    // Another card is in Desk 2: its GUID and management key are not this card's.
    f.stock.insert('Desk 2', await f.stock.newBlankCard());
    const mismatch = await f.desk.post(`/v1/cards/${card.id}/pin/unblock`, { deskReader: 'Desk 2', newPin: '730418' });
    expect(mismatch.status).to.equal(409);
    expect(mismatch.body.code).to.equal('ERR_CARD_MISMATCH');
    f.stock.eject('Desk 2');
    const forbidden = await fetch(`${f.platform.baseUrl}/v1/desk-readers`, { headers: { 'x-test-role': 'finance' } });
    expect(forbidden.status).to.equal(403);
  });
});
