import { expect } from 'chai';
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { sharedTestDatabase, type TestDatabase } from '../../support/test-database.js';
import { answerFor, postJson, requestChallenge } from '../../../services/auth/testing/tap-client.js';
import { tapEnvironment, type TapEnvironment } from './tap-fixture.js';

async function jwks(env: TapEnvironment) {
  const response = await fetch(`${env.p.baseUrl}/.well-known/jwks.json`);
  expect(response.status).to.equal(200);
  expect(response.headers.get('cache-control')).to.contain('max-age');
  return (await response.json()) as { keys: { kid: string }[] };
}

describe('auth: taps (challenge, verification, identity.verify, decision tokens)', function () {
  this.timeout(120_000);
  let db: TestDatabase;
  let env: TapEnvironment;

  before(async () => {
    db = await sharedTestDatabase();
    env = await tapEnvironment({ db });
  });
  after(() => env.close());

  it('hands out a 32-byte challenge bound to the reader, purpose and target, and records it', async () => {
    const challenge = await requestChallenge(env.reader, 'identity.verify', 'Front desk');
    expect(Buffer.from(challenge.challenge, 'base64')).to.have.length(32);
    expect(challenge).to.include({ readerId: env.reader.id, purpose: 'identity.verify', target: 'Front desk', slot: '9E' });
    const row = await db.knex('taps').where({ id: challenge.id }).first();
    expect(row).to.include({ reader_id: env.reader.id, purpose: 'identity.verify', target: 'Front desk', consumed_at: null });
    const other = await requestChallenge(env.reader, 'identity.verify', 'Front desk');
    expect(other.challenge).not.to.equal(challenge.challenge);
  });

  for (const algorithm of ['p256', 'rsa2048'] as const) {
    it(`grants identity.verify to an active ${algorithm} card with the cardholder the purpose allows, and records the tap`, async () => {
      const card = await env.issue({ algorithm, givenName: 'Ada', familyName: `Lovelace ${algorithm}`, orgUnit: 'Libraries' });
      const result = await env.tap(card);
      expect(result.status).to.equal(200);
      expect(result.body).to.include({ decision: 'granted', reason: 'ok', purpose: 'identity.verify', assurance: 'card', tapId: result.tapId });
      expect(result.body.cardholder).to.deep.equal({ name: `Ada Lovelace ${algorithm}`, reference: card.reference, kind: 'staff', orgUnit: 'Libraries' });
      const row = await db.knex('taps').where({ id: result.tapId }).first();
      expect(row).to.include({ decision: 'granted', reason: 'ok', card_id: card.cardId, cardholder_id: card.cardholderId, assurance: 'card', issuer: 'platform' });
      expect(row.consumed_at).to.be.an.instanceOf(Date);
    });
  }

  it('signs every decision as an ES256 token that verifies against /.well-known/jwks.json', async () => {
    const card = await env.issue();
    const result = await env.tap(card);
    const set = createLocalJWKSet(await jwks(env));
    const { payload, protectedHeader } = await jwtVerify(result.body.token, set, { algorithms: ['ES256'], audience: 'urn:tessera:tap-decision', typ: 'tessera-tap+jwt' });
    expect(protectedHeader.alg).to.equal('ES256');
    expect(payload).to.include({ jti: result.tapId, sub: card.cardholderId, decision: 'granted', reason: 'ok', purpose: 'identity.verify', reader: env.reader.id, card: card.cardId, assurance: 'card' });
    expect(payload.exp! - payload.iat!).to.equal(60);
    expect(new Date(result.body.tokenExpiresAt).getTime() / 1000).to.equal(payload.exp);
  });

  it('rotates the token key without breaking tokens in flight', async () => {
    const card = await env.issue();
    const before = await env.tap(card);
    const oldKid = decodeProtectedHeader(before.body.token).kid;
    const rotated = await env.p.admin.post('/v1/auth/token-keys/rotate');
    expect(rotated.status).to.equal(200);
    expect(rotated.body.kid).not.to.equal(oldKid);
    expect(rotated.body.retiring).to.include(oldKid);
    const keys = await jwks(env);
    expect(keys.keys.map((k) => k.kid)).to.include.members([oldKid!, rotated.body.kid]);
    const set = createLocalJWKSet(keys);
    await jwtVerify(before.body.token, set, { audience: 'urn:tessera:tap-decision' });
    const after = await env.tap(card);
    expect(decodeProtectedHeader(after.body.token).kid).to.equal(rotated.body.kid);
    await jwtVerify(after.body.token, set, { audience: 'urn:tessera:tap-decision' });
    // Past the grace period (token lifetime + 5 minutes) the retired key leaves the set.
    env.clock.advance((60 + 301) * 1000);
    expect((await jwks(env)).keys.map((k) => k.kid)).not.to.include(oldKid);
  });

  it('accepts a reference to a certificate the platform issued instead of the certificate', async () => {
    const card = await env.issue();
    const { createHash } = await import('node:crypto');
    const result = await env.tap(card, { certificateRef: createHash('sha256').update(card.certificates['9E']).digest('hex') });
    expect(result.body).to.include({ decision: 'granted' });
    const unknown = await env.tap(card, { certificateRef: 'ab'.repeat(32) });
    expect(unknown.body).to.include({ decision: 'denied', reason: 'certificate_unknown' });
  });

  it('signs over the payload: changing it after signing is refused', async () => {
    const card = await env.issue();
    const signed = await env.tap(card, { payload: Buffer.from('{"amount":250}') });
    expect(signed.body.decision).to.equal('granted');
    const changed = await env.tap(card, { payload: Buffer.from('{"amount":250}'), tamper: (a) => ({ ...a, payload: Buffer.from('{"amount":1}').toString('base64') }) });
    expect(changed.body).to.include({ decision: 'denied', reason: 'signature_invalid' });
  });

  it('gives one success to concurrent answers of one challenge', async () => {
    const card = await env.issue();
    const challenge = await requestChallenge(env.reader, 'identity.verify');
    const answer = await answerFor(challenge, card);
    const results = await Promise.all(Array.from({ length: 8 }, () => postJson(env.reader, `/v1/taps/${challenge.id}/response`, answer)));
    expect(results.map((r) => r.status)).to.deep.equal(Array(8).fill(200));
    const decisions = results.map((r) => `${r.body.decision}:${r.body.reason}`).sort();
    expect(decisions.filter((d) => d === 'granted:ok')).to.have.length(1);
    expect(decisions.filter((d) => d === 'denied:challenge_replayed')).to.have.length(7);
  });

  it('grants many different taps answered at once (they share one consuming statement), each once', async () => {
    const cards = await Promise.all(Array.from({ length: 6 }, () => env.issue()));
    const challenges = await Promise.all(cards.map(() => requestChallenge(env.reader, 'identity.verify')));
    const answers = await Promise.all(challenges.map((c, i) => answerFor(c, cards[i]!)));
    const first = await Promise.all(challenges.map((c, i) => postJson(env.reader, `/v1/taps/${c.id}/response`, answers[i])));
    expect(first.map((r) => r.body.decision)).to.deep.equal(Array(6).fill('granted'));
    const again = await Promise.all(challenges.map((c, i) => postJson(env.reader, `/v1/taps/${c.id}/response`, answers[i])));
    expect(again.map((r) => r.body.reason)).to.deep.equal(Array(6).fill('challenge_replayed'));
    const rows = await db.knex('taps').whereIn('id', challenges.map((c) => c.id));
    expect(rows.map((r) => r.decision)).to.deep.equal(Array(6).fill('granted'));
  });

  it('refuses a purpose nobody decides, and another target than the reader is registered for', async () => {
    const unknown = await postJson(env.reader, '/v1/taps', { purpose: 'door.open' });
    expect(unknown.status).to.equal(422);
    expect(unknown.body.code).to.equal('ERR_TAP_PURPOSE_UNKNOWN');
    const door = await env.newReader({ kind: 'door', target: 'Door 1' });
    const elsewhere = await postJson(door, '/v1/taps', { purpose: 'identity.verify', target: 'Door 2' });
    expect(elsewhere.status).to.equal(403);
    expect(elsewhere.body.code).to.equal('ERR_TAP_TARGET_MISMATCH');
    expect((await requestChallenge(door, 'identity.verify')).target).to.equal('Door 1');
  });

  it('lists the taps of a reader and of a cardholder for staff, newest first', async () => {
    const card = await env.issue();
    const first = await env.tap(card);
    env.clock.advance(5);
    const second = await env.tap(card);
    const byHolder = await env.p.admin.get(`/v1/taps?cardholderId=${card.cardholderId}`);
    expect(byHolder.status).to.equal(200);
    expect(byHolder.body.items.map((t: { id: string }) => t.id)).to.deep.equal([second.tapId, first.tapId]);
    const byReader = await env.p.admin.get(`/v1/taps?readerId=${env.reader.id}&limit=1`);
    expect(byReader.body.items).to.have.length(1);
    expect((await env.p.admin.get('/v1/taps')).status).to.equal(400);
  });

  // Found by the API fuzz (test/integration/platform/api-fuzz.test.ts): a leap second is valid RFC 3339, but new Date() made it Invalid Date, a 500.
  it('refuses a `before` instant JavaScript cannot hold with 400, not a 500', async () => {
    for (const before of ['2016-12-31T23:59:60Z', '0000-01-01T00:00:00Z']) {
      const listed = await env.p.admin.get(`/v1/taps?readerId=${env.reader.id}&before=${encodeURIComponent(before)}`);
      expect(listed.status, before).to.equal(400);
      expect(listed.body.code).to.equal('ERR_VALIDATION');
    }
    expect((await env.p.admin.get(`/v1/taps?readerId=${env.reader.id}&before=2016-12-31T23%3A59%3A59Z`)).status).to.equal(200);
  });
});
