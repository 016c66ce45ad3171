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

  const audited = async (reason: string, readerId: string) =>
    (await db.knex('audit_events').where({ action: 'tap.rejected', actor_id: readerId })).some((row) => row.details.reason === reason);
  // Each test taps through a reader of its own, so one test's audit rows never crowd out another's.
  let reader: Awaited<ReturnType<TapEnvironment['newReader']>>;
  beforeEach(async () => {
    reader = await env.newReader();
  });

  it('a replayed response: denied challenge_replayed, audited, the first answer stands', async () => {
    const card = await env.issue();
    const first = await env.tap(card, { via: reader });
    expect(first.body.decision).to.equal('granted');
    const replay = await postJson(reader, `/v1/taps/${first.tapId}/response`, first.answer);
    expect(replay.status).to.equal(200);
    expect(replay.body).to.include({ decision: 'denied', reason: 'challenge_replayed' });
    expect(await audited('challenge_replayed', reader.id)).to.equal(true);
    expect((await db.knex('taps').where({ id: first.tapId }).first()).decision).to.equal('granted');
  });

  it("another reader's challenge: denied challenge_wrong_reader, and it stays usable by its own reader", async () => {
    const card = await env.issue();
    const thief = await env.newReader();
    const challenge = await requestChallenge(reader, 'identity.verify');
    const answer = await answerFor(challenge, card);
    const stolen = await postJson(thief, `/v1/taps/${challenge.id}/response`, answer);
    expect(stolen.body).to.include({ decision: 'denied', reason: 'challenge_wrong_reader' });
    expect(await audited('challenge_wrong_reader', thief.id)).to.equal(true);
    const own = await postJson(reader, `/v1/taps/${challenge.id}/response`, answer);
    expect(own.body).to.include({ decision: 'granted' });
  });

  it('an expired challenge: denied challenge_expired, recorded and audited', async () => {
    const card = await env.issue();
    const challenge = await requestChallenge(reader, 'identity.verify');
    const answer = await answerFor(challenge, card);
    env.clock.advance(31_000);
    const late = await postJson(reader, `/v1/taps/${challenge.id}/response`, answer);
    expect(late.body).to.include({ decision: 'denied', reason: 'challenge_expired' });
    expect(await db.knex('taps').where({ id: challenge.id }).first()).to.include({ decision: 'denied', reason: 'challenge_expired' });
    expect(await audited('challenge_expired', reader.id)).to.equal(true);
  });

  it('a revoked card: denied card_revoked and audited', async () => {
    const card = await env.issue();
    expect((await env.tap(card, { via: reader })).body.decision).to.equal('granted');
    await db.knex.transaction((trx) =>
      applyCardAction(trx, card.cardId, { kind: 'revoke', reason: 'stolen' }, { actor: { kind: 'system', id: 'test' }, now: new Date(), certificates: cardCertificateHooks(env.pki) }),
    );
    const after = await env.tap(card, { via: reader });
    expect(after.body).to.include({ decision: 'denied', reason: 'card_revoked' });
    expect(after.body.cardholder).to.equal(null);
    expect(await audited('card_revoked', reader.id)).to.equal(true);
  });

  it('a suspended card: denied card_suspended and audited', async () => {
    const card = await env.issue();
    expect((await env.tap(card, { via: reader })).body.decision).to.equal('granted');
    await db.knex.transaction((trx) =>
      applyCardAction(trx, card.cardId, { kind: 'suspend' }, { actor: { kind: 'system', id: 'test' }, now: new Date(), certificates: cardCertificateHooks(env.pki) }),
    );
    expect((await env.tap(card, { via: reader })).body).to.include({ decision: 'denied', reason: 'card_suspended' });
    expect(await audited('card_suspended', reader.id)).to.equal(true);
  });

  it('an expired card: denied card_expired and audited', async () => {
    const card = await env.issue();
    expect((await env.tap(card, { via: reader })).body.decision).to.equal('granted');
    await db.knex('cards').where({ id: card.cardId }).update({ expires_at: new Date(env.clock.now().getTime() - 1000) });
    expect((await env.tap(card, { via: reader })).body).to.include({ decision: 'denied', reason: 'card_expired' });
    expect(await audited('card_expired', reader.id)).to.equal(true);
  });

  it('a certificate from an unknown CA: denied certificate_untrusted, audited', async () => {
    const stranger = await (await ForeignCa.create('Nowhere Borough')).issueCard('Mallory');
    const result = await env.tap(stranger as never, { via: reader });
    expect(result.body).to.include({ decision: 'denied', reason: 'certificate_untrusted' });
    expect(await audited('certificate_untrusted', reader.id)).to.equal(true);
  });

  it('a truncated signature: denied signature_invalid and audited', async () => {
    const card = await env.issue();
    const result = await env.tap(card, { via: reader, tamper: (a) => ({ ...a, signature: Buffer.from(a.signature, 'base64').subarray(0, 40).toString('base64') }) });
    expect(result.status).to.equal(200);
    expect(result.body).to.include({ decision: 'denied', reason: 'signature_invalid' });
    expect(await audited('signature_invalid', reader.id)).to.equal(true);
  });

  it('a bit-flipped signature: denied signature_invalid, audited and recorded', async () => {
    const card = await env.issue();
    const result = await env.tap(card, {
      via: reader,
      tamper: (a) => {
        const signature = Buffer.from(a.signature, 'base64');
        signature[signature.length - 5]! ^= 0x01;
        return { ...a, signature: signature.toString('base64') };
      },
    });
    expect(result.body).to.include({ decision: 'denied', reason: 'signature_invalid' });
    expect(await audited('signature_invalid', reader.id)).to.equal(true);
    expect(await db.knex('taps').where({ id: result.tapId }).first()).to.include({ decision: 'denied', reason: 'signature_invalid', card_id: null });
  });

  it('the wrong slot for the assurance (9E where the purpose needs 9A and the PIN): denied assurance_insufficient and audited', async () => {
    const card = await env.issue();
    const vaultReader = await env.newReader({ module: 'vault' });
    const challenge = await requestChallenge(vaultReader, 'vault.open');
    expect(challenge.slot).to.equal('9A');
    const wrong = await postJson(vaultReader, `/v1/taps/${challenge.id}/response`, await answerFor(challenge, card, { slot: '9E' }));
    expect(wrong.body).to.include({ decision: 'denied', reason: 'assurance_insufficient' });
    expect(await audited('assurance_insufficient', vaultReader.id)).to.equal(true);
    const right = await env.tap(card, { via: vaultReader, purpose: 'vault.open' });
    expect(right.body).to.include({ decision: 'granted', assurance: 'card+pin' });
  });

  it('an oversized payload: denied payload_too_large, recorded and audited', async () => {
    const card = await env.issue();
    const result = await env.tap(card, { via: reader, payload: Buffer.alloc(1025, 1) });
    expect(result.body).to.include({ decision: 'denied', reason: 'payload_too_large' });
    expect(await db.knex('taps').where({ id: result.tapId }).first()).to.include({ reason: 'payload_too_large' });
    expect(await audited('payload_too_large', reader.id)).to.equal(true);
    const huge = await postJson(reader, `/v1/taps/${result.tapId}/response`, { certificate: 'AAAA', signature: 'AAAA', payload: 'A'.repeat(1_100_000) });
    expect(huge.status).to.equal(413);
  });

  it('a suspended reader: refused with ERR_READER_SUSPENDED and audited', async () => {
    const card = await env.issue();
    const challenge = await requestChallenge(reader, 'identity.verify');
    const answer = await answerFor(challenge, card);
    await env.p.admin.post(`/v1/readers/${reader.id}/suspend`);
    const refused = await postJson(reader, `/v1/taps/${challenge.id}/response`, answer);
    expect(refused.status).to.equal(403);
    expect(refused.body.code).to.equal('ERR_READER_SUSPENDED');
    expect(await audited('reader_suspended', reader.id)).to.equal(true);
  });

  it('garbage where the certificate should be: denied certificate_malformed and audited, never a 500', async () => {
    const card = await env.issue();
    const result = await env.tap(card, { via: reader, tamper: (a) => ({ ...a, certificate: Buffer.from('not a certificate at all').toString('base64') }) });
    expect(result.body).to.include({ decision: 'denied', reason: 'certificate_malformed' });
    expect(await audited('certificate_malformed', reader.id)).to.equal(true);
    const unknown = await postJson(reader, '/v1/taps/00000000-0000-4000-8000-000000000000/response', { certificate: 'AAAA', signature: 'AAAA' });
    expect(unknown.body).to.include({ decision: 'denied', reason: 'challenge_unknown' });
    const both = await postJson(reader, `/v1/taps/${result.tapId}/response`, { certificate: 'AAAA', certificateRef: 'ab'.repeat(32), signature: 'AAAA' });
    expect(both.status).to.equal(400);
  });
});
