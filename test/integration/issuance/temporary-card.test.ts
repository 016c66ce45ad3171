import { expect } from 'chai';
import { PivClient } from '../../../shared/piv/index.js';
import { channelOf } from './card-check.js';
import { DESK, issuanceFixture, TestClock, type IssuanceFixture } from './issuance-fixture.js';

/**
 * A temporary card for a forgotten card lasts until midnight in the organisation's time zone,
 * and the main card is suspended until that same midnight. Midnight is found in the zone: on
 * the days the clocks change in Europe/London the day is 23 or 25 hours long.
 */
describe('temporary cards until midnight, across the clock changes', function () {
  let f: IssuanceFixture;
  const clock = new TestClock(Date.parse('2026-03-29T00:30:00Z'));
  before(async function () {
    // PGlite start-up and the CA's keys take a while on a loaded machine.
    this.timeout(120_000);
    f = await issuanceFixture({ clock, config: { timeZone: 'Europe/London' } });
  });
  after(() => f?.dispose());

  async function holderWithActiveCard() {
    const holder = await f.enrol();
    const main = await f.desk.post(`/v1/cardholders/${holder.id}/cards`, { deskReader: DESK, pin: '385027', activate: true });
    expect(main.status, JSON.stringify(main.body)).to.equal(201);
    return { holder, main: main.body as { id: string } };
  }

  const cases = [
    // Clocks go forward at 01:00 GMT: 29 March 2026 has 23 hours; its midnight is 23:00 UTC.
    { at: '2026-03-29T00:30:00Z', midnight: '2026-03-29T23:00:00.000Z', chuid: '2026-03-29', name: 'the spring change (a 23-hour day)' },
    { at: '2026-03-29T22:59:00Z', midnight: '2026-03-29T23:00:00.000Z', chuid: '2026-03-29', name: 'a minute before the end of that day' },
    // Clocks go back at 02:00 BST: 25 October 2026 has 25 hours; it starts at 23:00 UTC on the 24th.
    { at: '2026-10-24T23:30:00Z', midnight: '2026-10-26T00:00:00.000Z', chuid: '2026-10-25', name: 'the autumn change (a 25-hour day)' },
  ];

  for (const c of cases) {
    it(`ends at local midnight on ${c.name}, with the main card suspended until then`, async () => {
      clock.set(c.at);
      const { holder, main } = await holderWithActiveCard();
      const response = await f.desk.post(`/v1/cardholders/${holder.id}/temporary-cards`, { deskReader: DESK, pin: '640193' });
      expect(response.status, JSON.stringify(response.body)).to.equal(201);
      const temporary = response.body;
      expect(temporary).to.include({ kind: 'temporary', status: 'active', expiresAt: c.midnight });
      expect((await f.desk.get(`/v1/cards/${main.id}`)).body).to.include({ status: 'suspended', suspendedUntil: c.midnight });
      // The CHUID carries the last day the card is valid.
      const client = new PivClient(channelOf(f.stock.issuedCard(temporary.id)!));
      await client.select();
      expect((await client.readChuid()).expiry).to.equal(c.chuid);
      // Certificates end with the card.
      const certificates = await f.db.knex('pki_certificates').where({ card_id: temporary.id });
      for (const certificate of certificates) expect(new Date(certificate.not_after).toISOString()).to.equal(c.midnight);
      expect(certificates.map((x: any) => x.status)).to.deep.equal(['active', 'active']);
      const held = await f.db.knex('pki_certificates').where({ card_id: main.id });
      expect(held.map((x: any) => x.status)).to.deep.equal(['on_hold', 'on_hold']);

      // One millisecond before midnight nothing has changed; at midnight the temporary card is over and the main card is back.
      clock.set(new Date(Date.parse(c.midnight) - 1));
      expect((await f.desk.get(`/v1/cards/${temporary.id}`)).body.status).to.equal('active');
      expect((await f.desk.get(`/v1/cards/${main.id}`)).body.status).to.equal('suspended');
      clock.set(c.midnight);
      expect((await f.desk.get(`/v1/cards/${temporary.id}`)).body.status).to.equal('expired');
      expect((await f.desk.get(`/v1/cards/${main.id}`)).body.status).to.equal('active');
    });
  }

  it('the next day, forgotten again: yesterday’s temporary card is expired, the hold released, and a new one issued', async () => {
    clock.set('2026-10-24T09:00:00Z');
    const { holder, main } = await holderWithActiveCard();
    expect((await f.desk.post(`/v1/cardholders/${holder.id}/temporary-cards`, { deskReader: DESK, pin: '640193' })).status).to.equal(201);
    const second = await f.desk.post(`/v1/cardholders/${holder.id}/temporary-cards`, { deskReader: DESK, pin: '640193' });
    expect(second.status).to.equal(409);
    expect(second.body.code).to.equal('ERR_ACTIVE_CARD_EXISTS');
    clock.set('2026-10-25T09:00:00Z');
    const next = await f.desk.post(`/v1/cardholders/${holder.id}/temporary-cards`, { deskReader: DESK, pin: '640193' });
    expect(next.status, JSON.stringify(next.body)).to.equal(201);
    expect(next.body.expiresAt).to.equal('2026-10-26T00:00:00.000Z');
    expect((await f.desk.get(`/v1/cards/${main.id}`)).body).to.include({ status: 'suspended', suspendedUntil: '2026-10-26T00:00:00.000Z' });
    const events = await f.db.knex('audit_events').where({ subject_id: main.id }).orderBy('seq').select('action', 'details');
    const lifecycle = events.map((e: any) => e.action).filter((a: string) => a === 'card.suspend' || a === 'card.resume');
    expect(lifecycle).to.deep.equal(['card.suspend', 'card.resume', 'card.suspend']);
    expect(events.find((e: any) => e.action === 'card.resume').details).to.include({ automatic: true });
  });

  it('refuses a temporary card to a cardholder with no active card', async () => {
    const holder = await f.enrol();
    const response = await f.desk.post(`/v1/cardholders/${holder.id}/temporary-cards`, { deskReader: DESK, pin: '640193' });
    expect(response.status).to.equal(409);
    expect(response.body.code).to.equal('ERR_NO_CARD_TO_COVER');
  });
});
