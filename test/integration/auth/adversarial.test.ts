import { expect } from 'chai';
import type { TapModule } from '../../../shared/modules/index.js';
import { applyCardAction } from '../../../services/identity/cards/index.js';
import { cardCertificateHooks } from '../../../services/identity/pki/index.js';
import { ForeignCa } from '../../../services/auth/testing/foreign-ca.js';
import { answerFor, postJson, requestChallenge } from '../../../services/auth/testing/tap-client.js';
import { sharedTestDatabase, type TestDatabase } from '../../support/test-database.js';
import { tapEnvironment, type TapEnvironment } from './tap-fixture.js';

/** A module whose one purpose needs the PIN: slot 9A. */
const vault: TapModule = {
  name: 'vault',
  purposes: { 'vault.open': { description: 'open the vault', minimumAssurance: 'card+pin', display: ['name'] } },
  decide: async () => ({ decision: 'granted' }),
};

/**
 * The adversarial list of issue 5, one test each: every case is a `denied` decision with its
 * reason (or, for a suspended reader, a coded 403), audited where it is a security event, and
 * never a 500.
 */
describe('auth: adversarial taps', function () {
  this.timeout(120_000);
  let db: TestDatabase;
  let env: TapEnvironment;

  before(async () => {
    db = await sharedTestDatabase();
    env = await tapEnvironment({ db, modules: [vault], settings: { maxPayloadBytes: 1024 } });
  });
  after(() => env.close());

  const audited = async (reason: string, readerId = env.reader.id) =>
    (await db.knex('audit_events').where({ action: 'tap.rejected', actor_id: readerId })).some((row) => row.details.reason === reason);

  it('a replayed response: denied challenge_replayed, audited, the first answer stands', async () => {
    const card = await env.issue();
    const first = await env.tap(card);
    expect(first.body.decision).to.equal('granted');
    const replay = await postJson(env.reader, `/v1/taps/${first.tapId}/response`, first.answer);
    expect(replay.status).to.equal(200);
    expect(replay.body).to.include({ decision: 'denied', reason: 'challenge_replayed' });
    expect(await audited('challenge_replayed')).to.equal(true);
    expect((await db.knex('taps').where({ id: first.tapId }).first()).decision).to.equal('granted');
  });

  it("another reader's challenge: denied challenge_wrong_reader, and it stays usable by its own reader", async () => {
    const card = await env.issue();
    const thief = await env.newReader();
    const challenge = await requestChallenge(env.reader, 'identity.verify');
    const answer = await answerFor(challenge, card);
    const stolen = await postJson(thief, `/v1/taps/${challenge.id}/response`, answer);
    expect(stolen.body).to.include({ decision: 'denied', reason: 'challenge_wrong_reader' });
    expect(await audited('challenge_wrong_reader', thief.id)).to.equal(true);
    const own = await postJson(env.reader, `/v1/taps/${challenge.id}/response`, answer);
    expect(own.body).to.include({ decision: 'granted' });
  });

  it('an expired challenge: denied challenge_expired and recorded', async () => {
    const card = await env.issue();
    const challenge = await requestChallenge(env.reader, 'identity.verify');
    const answer = await answerFor(challenge, card);
    env.clock.advance(31_000);
    const late = await postJson(env.reader, `/v1/taps/${challenge.id}/response`, answer);
    expect(late.body).to.include({ decision: 'denied', reason: 'challenge_expired' });
    expect(await db.knex('taps').where({ id: challenge.id }).first()).to.include({ decision: 'denied', reason: 'challenge_expired' });
  });

  it('a revoked card: denied card_revoked', async () => {
    const card = await env.issue();
    expect((await env.tap(card)).body.decision).to.equal('granted');
    await db.knex.transaction((trx) =>
      applyCardAction(trx, card.cardId, { kind: 'revoke', reason: 'stolen' }, { actor: { kind: 'system', id: 'test' }, now: new Date(), certificates: cardCertificateHooks(env.pki) }),
    );
    const after = await env.tap(card);
    expect(after.body).to.include({ decision: 'denied', reason: 'card_revoked' });
    expect(after.body.cardholder).to.equal(null);
  });

  it('a suspended card: denied card_suspended', async () => {
    const card = await env.issue();
    expect((await env.tap(card)).body.decision).to.equal('granted');
    await db.knex.transaction((trx) =>
      applyCardAction(trx, card.cardId, { kind: 'suspend' }, { actor: { kind: 'system', id: 'test' }, now: new Date(), certificates: cardCertificateHooks(env.pki) }),
    );
    expect((await env.tap(card)).body).to.include({ decision: 'denied', reason: 'card_suspended' });
  });

  it('an expired card: denied card_expired', async () => {
    const card = await env.issue();
    expect((await env.tap(card)).body.decision).to.equal('granted');
    await db.knex('cards').where({ id: card.cardId }).update({ expires_at: new Date(env.clock.now().getTime() - 1000) });
    expect((await env.tap(card)).body).to.include({ decision: 'denied', reason: 'card_expired' });
  });

  it('a certificate from an unknown CA: denied certificate_untrusted, audited', async () => {
    const stranger = await (await ForeignCa.create('Nowhere Borough')).issueCard('Mallory');
    const result = await env.tap(stranger as never);
    expect(result.body).to.include({ decision: 'denied', reason: 'certificate_untrusted' });
    expect(await audited('certificate_untrusted')).to.equal(true);
  });

  it('a truncated signature: denied signature_invalid', async () => {
    const card = await env.issue();
    const result = await env.tap(card, { tamper: (a) => ({ ...a, signature: Buffer.from(a.signature, 'base64').subarray(0, 40).toString('base64') }) });
    expect(result.status).to.equal(200);
    expect(result.body).to.include({ decision: 'denied', reason: 'signature_invalid' });
  });

  it('a bit-flipped signature: denied signature_invalid, audited and recorded', async () => {
    const card = await env.issue();
    const result = await env.tap(card, {
      tamper: (a) => {
        const signature = Buffer.from(a.signature, 'base64');
        signature[signature.length - 5]! ^= 0x01;
        return { ...a, signature: signature.toString('base64') };
      },
    });
    expect(result.body).to.include({ decision: 'denied', reason: 'signature_invalid' });
    expect(await audited('signature_invalid')).to.equal(true);
    expect(await db.knex('taps').where({ id: result.tapId }).first()).to.include({ decision: 'denied', reason: 'signature_invalid', card_id: null });
  });

  it('the wrong slot for the assurance (9E where the purpose needs 9A and the PIN): denied assurance_insufficient', async () => {
    const card = await env.issue();
    const vaultReader = await env.newReader({ module: 'vault' });
    const challenge = await requestChallenge(vaultReader, 'vault.open');
    expect(challenge.slot).to.equal('9A');
    const wrong = await postJson(vaultReader, `/v1/taps/${challenge.id}/response`, await answerFor(challenge, card, { slot: '9E' }));
    expect(wrong.body).to.include({ decision: 'denied', reason: 'assurance_insufficient' });
    const right = await env.tap(card, { via: vaultReader, purpose: 'vault.open' });
    expect(right.body).to.include({ decision: 'granted', assurance: 'card+pin' });
  });

  it('an oversized payload: denied payload_too_large and recorded', async () => {
    const card = await env.issue();
    const result = await env.tap(card, { payload: Buffer.alloc(1025, 1) });
    expect(result.body).to.include({ decision: 'denied', reason: 'payload_too_large' });
    expect(await db.knex('taps').where({ id: result.tapId }).first()).to.include({ reason: 'payload_too_large' });
    const huge = await postJson(env.reader, `/v1/taps/${result.tapId}/response`, { certificate: 'AAAA', signature: 'AAAA', payload: 'A'.repeat(1_100_000) });
    expect(huge.status).to.equal(413);
  });

  it('a suspended reader: refused with ERR_READER_SUSPENDED and audited', async () => {
    const card = await env.issue();
    const reader = await env.newReader();
    const challenge = await requestChallenge(reader, 'identity.verify');
    const answer = await answerFor(challenge, card);
    await env.p.admin.post(`/v1/readers/${reader.id}/suspend`);
    const refused = await postJson(reader, `/v1/taps/${challenge.id}/response`, answer);
    expect(refused.status).to.equal(403);
    expect(refused.body.code).to.equal('ERR_READER_SUSPENDED');
    expect(await audited('reader_suspended', reader.id)).to.equal(true);
  });

  it('garbage where the certificate should be: denied certificate_malformed, never a 500', async () => {
    const card = await env.issue();
    const result = await env.tap(card, { tamper: (a) => ({ ...a, certificate: Buffer.from('not a certificate at all').toString('base64') }) });
    expect(result.body).to.include({ decision: 'denied', reason: 'certificate_malformed' });
    const unknown = await postJson(env.reader, '/v1/taps/00000000-0000-4000-8000-000000000000/response', { certificate: 'AAAA', signature: 'AAAA' });
    expect(unknown.body).to.include({ decision: 'denied', reason: 'challenge_unknown' });
    const both = await postJson(env.reader, `/v1/taps/${result.tapId}/response`, { certificate: 'AAAA', certificateRef: 'ab'.repeat(32), signature: 'AAAA' });
    expect(both.status).to.equal(400);
  });
});
