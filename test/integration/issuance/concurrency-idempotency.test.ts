import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { systemActor } from '../../../shared/audit/index.js';
import { isTesseraError } from '../../../shared/errors/index.js';
import { issueCard } from '../../../services/identity/issuance/index.js';
import { onPostgres } from '../../support/test-database.js';
import { DESK, issuanceFixture, OTHER_DESK, type IssuanceFixture } from './issuance-fixture.js';

describe(`issuance: two desks at once, and Idempotency-Key (${onPostgres ? 'PostgreSQL' : 'PGlite'})`, function () {
  let f: IssuanceFixture;
  before(async function () {
    // PGlite start-up and the CA's keys take a while on a loaded machine.
    this.timeout(120_000);
    f = await issuanceFixture();
  });
  after(() => f?.dispose());

  const request = (cardholderId: string, deskReader: string) =>
    ({ cardholderId, purpose: 'new', deskReader, algorithm: 'p256', pin: '396021', activate: false, actor: systemActor('test') }) as const;

  it('two desks issuing for the same person at the same time end with exactly one card', async () => {
    for (let round = 0; round < 4; round++) {
      const holder = await f.enrol();
      const outcomes = await Promise.allSettled([issueCard(f.deps, request(holder.id, DESK)), issueCard(f.deps, request(holder.id, OTHER_DESK))]);
      const won = outcomes.filter((o) => o.status === 'fulfilled');
      const lost = outcomes.flatMap((o) => (o.status === 'rejected' ? [o.reason] : []));
      expect(won, `round ${round}: ${lost.map(String).join('; ')}`).to.have.length(1);
      expect(lost.map((e) => isTesseraError(e) && e.code)).to.satisfy((codes: unknown[]) => codes.every((c) => c === 'ERR_ISSUANCE_IN_PROGRESS' || c === 'ERR_ACTIVE_CARD_EXISTS'));
      const rows = await f.db.knex('cards').where({ cardholder_id: holder.id });
      expect(rows.map((r: any) => r.status)).to.deep.equal(['issued']);
      // The losing desk's blank card was never changed: it is still blank stock in its reader.
      // The winner's card left with its holder; the losing desk's card is still in its reader, still blank.
      const losingDesk = f.stock.cardIn(DESK) ? DESK : OTHER_DESK;
      expect(f.stock.cardIn(losingDesk)?.store.state.managementKey.key).to.equal('010203040506070801020304050607080102030405060708');
    }
  });

  it('the database itself keeps one issuance in progress per cardholder', async () => {
    const holder = await f.enrol();
    const row = () => ({ id: randomUUID(), cardholder_id: holder.id, kind: 'standard', status: 'issuing', algorithm: 'p256', expires_at: new Date(Date.now() + 86_400_000) });
    const results = await Promise.allSettled([f.db.knex('cards').insert(row()), f.db.knex('cards').insert(row())]);
    expect(results.filter((r) => r.status === 'fulfilled')).to.have.length(1);
    expect(results.flatMap((r) => (r.status === 'rejected' ? [(r.reason as { code?: string }).code] : []))).to.deep.equal(['23505']);
  });

  async function post(path: string, body: unknown, key: string) {
    const response = await fetch(`${f.platform.baseUrl}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-test-role': 'reception', 'idempotency-key': key },
      body: JSON.stringify(body),
    });
    return { status: response.status, replayed: response.headers.get('idempotent-replayed'), body: (await response.json()) as any };
  }

  it('the same Idempotency-Key returns the first result without touching a card; another request under it is refused', async () => {
    const holder = await f.enrol();
    const key = randomUUID();
    const path = `/v1/cardholders/${holder.id}/cards`;
    const first = await post(path, { deskReader: DESK, pin: '396021' }, key);
    expect(first.status, JSON.stringify(first.body)).to.equal(201);
    const apdus = f.flaky.apdusSent;
    // The PIN is not part of what the key protects (it is never stored, not even hashed).
    const again = await post(path, { deskReader: DESK, pin: '805213' }, key);
    expect(again).to.deep.include({ status: 201, replayed: 'true' });
    expect(again.body).to.deep.equal(first.body);
    expect(f.flaky.apdusSent).to.equal(apdus);
    const other = await post(path, { deskReader: DESK, pin: '396021', algorithm: 'rsa2048' }, key);
    expect(other.status).to.equal(409);
    expect(other.body.code).to.equal('ERR_IDEMPOTENCY_MISMATCH');
    const bad = await post(path, { deskReader: DESK, pin: '396021' }, 'bad key with spaces');
    expect(bad.body.code).to.equal('ERR_IDEMPOTENCY_KEY_INVALID');
  });

  it('a request that failed half way under a key resumes under the same key', async () => {
    const holder = await f.enrol();
    const key = randomUUID();
    const path = `/v1/cardholders/${holder.id}/cards`;
    f.flaky.failAfter = { apdus: 25, when: 'after' };
    const failed = await post(path, { deskReader: DESK, pin: '396021' }, key);
    f.flaky.failAfter = undefined;
    expect(failed.body.code).to.equal('ERR_CARD_REMOVED');
    const resumed = await post(path, { deskReader: DESK, pin: '396021' }, key);
    expect(resumed.status, JSON.stringify(resumed.body)).to.equal(201);
    expect(resumed.body.resumed).to.equal(true);
    expect((await post(path, { deskReader: DESK, pin: '396021' }, key)).replayed).to.equal('true');
  });

  it('checks the PIN rules before any card is touched', async () => {
    const holder = await f.enrol();
    const apdus = f.flaky.apdusSent;
    for (const [pin, rule] of [['12345', 'length'], ['123456789', 'length'], ['12a456', 'digits'], ['777777', 'repeated'], ['234567', 'sequence'], ['876543', 'sequence']]) {
      const response = await f.desk.post(`/v1/cardholders/${holder.id}/cards`, { deskReader: DESK, pin });
      expect(response.status, pin).to.equal(422);
      expect(response.body, pin).to.include({ code: 'ERR_PIN_RULE', rule, field: 'pin' });
    }
    expect(f.flaky.apdusSent).to.equal(apdus);
    expect(await f.db.knex('cards').where({ cardholder_id: holder.id })).to.have.length(0);
  });
});
