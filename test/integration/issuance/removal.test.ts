import { expect } from 'chai';
import { systemActor } from '../../../shared/audit/index.js';
import { isTesseraError } from '../../../shared/errors/index.js';
import { issueCard } from '../../../services/identity/issuance/index.js';
import { channelOf, checkUsableCard } from './card-check.js';
import { DESK, issuanceFixture, type IssuanceFixture } from './issuance-fixture.js';

const PIN = '280461';

/**
 * A card pulled out of the reader at any point of its issuance never becomes usable, and the
 * next attempt with the same card finishes it; with a different blank card it starts clean.
 * The card is pulled before the Nth APDU reaches it, and after the card has done the Nth APDU
 * but before its answer arrives (the step happened on the card, the platform never heard).
 */
describe('issuance: a card pulled out half way', function () {
  let f: IssuanceFixture;
  let total = 0;
  before(async function () {
    // PGlite start-up and the CA's keys take a while on a loaded machine.
    this.timeout(120_000);
    f = await issuanceFixture();
    const holder = await f.enrol();
    const before = f.flaky.apdusSent;
    await issueCard(f.deps, request(holder.id));
    total = f.flaky.apdusSent - before;
  });
  after(() => f?.dispose());

  function request(cardholderId: string) {
    return { cardholderId, purpose: 'new', deskReader: DESK, algorithm: 'p256', pin: PIN, activate: false, actor: systemActor('test') } as const;
  }

  async function pullOutAt(cardholderId: string, apdus: number, when: 'before' | 'after') {
    f.flaky.failAfter = { apdus, when };
    try {
      await issueCard(f.deps, request(cardholderId));
      return undefined;
    } catch (error) {
      return error;
    } finally {
      f.flaky.failAfter = undefined;
    }
  }

  async function cardsOf(cardholderId: string) {
    return f.db.knex('cards').where({ cardholder_id: cardholderId });
  }

  it('counts the APDUs of one issuance', () => {
    expect(total).to.be.greaterThan(20);
  });

  for (const when of ['before', 'after'] as const) {
    it(`never leaves a usable card, and a retry with the same card completes it (pulled ${when} each APDU)`, async function () {
      this.timeout(240_000);
      for (let n = when === 'before' ? 0 : 1; n < total; n++) {
        const holder = await f.enrol();
        const error = await pullOutAt(holder.id, n, when);
        expect(isTesseraError(error) && error.code, `APDU ${n}: ${String(error)}`).to.be.oneOf(['ERR_CARD_REMOVED', 'ERR_DESK_NO_CARD']);
        for (const row of await cardsOf(holder.id)) expect(row.status, `APDU ${n}`).to.equal('issuing');
        const issued = await issueCard(f.deps, request(holder.id));
        expect(issued.card.status).to.equal('issued');
        const rows = await cardsOf(holder.id);
        expect(rows.map((r: any) => r.status), `APDU ${n}`).to.deep.equal(['issued']);
        await checkUsableCard(channelOf(f.stock.issuedCard(issued.card.id)!), { cardId: issued.card.id, pin: PIN, algorithm: 'p256' });
      }
    });
  }

  it('starts clean on a different blank card: the old record goes and its certificates are revoked', async () => {
    const holder = await f.enrol();
    // Pulled out after both certificates were issued.
    const error = await pullOutAt(holder.id, Math.floor(total * 0.7), 'before');
    expect(isTesseraError(error) && error.code).to.equal('ERR_CARD_REMOVED');
    const [half] = await cardsOf(holder.id);
    const serials = Object.values(half.issuance.certificates as Record<string, string>);
    expect(serials).to.have.length(2);
    await f.stock.insertBlank(DESK);
    const issued = await issueCard(f.deps, request(holder.id));
    expect(issued.resumed).to.equal(false);
    expect(issued.card.id).not.to.equal(half.id);
    expect((await cardsOf(holder.id)).map((r: any) => r.id)).to.deep.equal([issued.card.id]);
    const old = await f.db.knex('pki_certificates').whereIn('serial', serials);
    expect(old.map((c: any) => [c.status, c.revocation_reason])).to.deep.equal([
      ['revoked', 'cessationOfOperation'],
      ['revoked', 'cessationOfOperation'],
    ]);
    const audit = await f.db.knex('audit_events').where({ action: 'card.abandon', subject_id: half.id });
    expect(audit).to.have.length(1);
  });

  it('tells a second attempt to wait while the first holds the record', async () => {
    const holder = await f.enrol();
    await pullOutAt(holder.id, 10, 'before');
    const [row] = await cardsOf(holder.id);
    // A crashed attempt: the lease is taken and not given back.
    const lease = { token: 'crashed', until: new Date(f.clock.now().getTime() + 60_000).toISOString(), deskReader: 'Desk 9' };
    await f.db.knex('cards').where({ id: row.id }).update({ issuance: JSON.stringify({ ...row.issuance, lease }) });
    const busy = await f.desk.post(`/v1/cardholders/${holder.id}/cards`, { deskReader: DESK, pin: PIN });
    expect(busy.status).to.equal(409);
    expect(busy.body).to.include({ code: 'ERR_ISSUANCE_IN_PROGRESS', deskReader: 'Desk 9' });
    // Once the lease runs out, the same card resumes.
    f.clock.advance(120_000);
    const resumed = await f.desk.post(`/v1/cardholders/${holder.id}/cards`, { deskReader: DESK, pin: PIN });
    expect(resumed.status, JSON.stringify(resumed.body)).to.equal(201);
    expect(resumed.body).to.include({ id: row.id, resumed: true, status: 'issued' });
  });
});
