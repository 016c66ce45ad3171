import { expect } from 'chai';
import { parseCrl, revocationOf, verifyChain, verifyCrlIssuedBy } from '../../../shared/x509/index.js';
import { cardCertificateHooks, CRL_LIFETIME_MS, CRL_REFRESH_MARGIN_MS, type CardCertificateProfile } from '../../../services/identity/pki/index.js';
import { cardKey, DAY, newCardId, pkiFixture, yearsFromNow, type PkiFixture } from './pki-fixture.js';

const HOUR = 3_600_000;

describe('PKI: revocation and the CRL', function () {
  // The first suite of a run creates the shared database (PGlite: all migrations), which can exceed mocha's 30 s on a busy machine.
  this.timeout(120_000);
  let f: PkiFixture;
  beforeEach(async () => {
    f = await pkiFixture();
  });
  after(() => f?.dispose());

  async function issue(cardId = newCardId(), profile: CardCertificateProfile = 'card-auth', years = 3) {
    return f.pki.issueCardCertificate({ profile, publicKey: cardKey('p256'), cardId, cardholderRef: 'CH-1', notAfter: yearsFromNow(f.clock, years) });
  }
  const inTrx = <T>(work: Parameters<typeof f.db.knex.transaction<T>>[0]) => f.db.knex.transaction(work);

  it('reissues the CRL on every revocation: a higher cRLNumber, the serial, the date and the RFC 5280 reason', async () => {
    const a = await issue();
    const b = await issue();
    const first = await f.pki.currentCrl();
    f.clock.advance(60_000);
    expect(await inTrx((trx) => f.pki.revokeCertificate(trx, a.serial, 'keyCompromise'))).to.equal(true);
    const crl = parseCrl((await f.pki.currentCrl()).der);
    expect(crl.crlNumber).to.equal(first.crlNumber + 1n);
    expect(crl.entries.size).to.equal(1);
    const entry = revocationOf(crl, a.serial)!;
    expect(entry.reason).to.equal('keyCompromise');
    expect(Math.floor(entry.revokedAt.getTime() / 1000)).to.equal(Math.floor(f.clock.now().getTime() / 1000));
    expect(revocationOf(crl, b.serial)).to.equal(undefined);
    expect(crl.nextUpdate!.getTime() - crl.thisUpdate.getTime()).to.equal(CRL_LIFETIME_MS);
    const [issuing] = await f.pki.authorities();
    verifyCrlIssuedBy(crl, issuing!.certificate);
    expect(crl.authorityKeyId).to.equal(issuing!.certificate.extensions.subjectKeyId);
    expect((await f.pki.certificate(a.serial))?.status).to.equal('revoked');
  });

  it('makes chain verification with revocation fail for the revoked certificate only', async () => {
    const a = await issue();
    const b = await issue();
    await inTrx((trx) => f.pki.revokeCertificate(trx, a.serial, 'affiliationChanged'));
    const trust = await f.pki.trustMaterial();
    const options = { anchors: [trust.issuing], crls: [trust.crl], at: f.clock.now(), revocation: 'require' as const };
    expect(verifyChain(b.certificate, options).path).to.have.length(2);
    expect(() => verifyChain(a.certificate, options)).to.throw().with.property('code', 'ERR_PKI_CERT_REVOKED');
  });

  it('is idempotent: revoking again changes nothing and issues no new CRL; revocation is final', async () => {
    const a = await issue();
    await inTrx((trx) => f.pki.revokeCertificate(trx, a.serial, 'superseded'));
    const number = (await f.pki.currentCrl()).crlNumber;
    expect(await inTrx((trx) => f.pki.revokeCertificate(trx, a.serial, 'keyCompromise'))).to.equal(false);
    expect(await inTrx((trx) => f.pki.revokeCertificate(trx, a.serial, 'certificateHold'))).to.equal(false);
    expect((await f.pki.currentCrl()).crlNumber).to.equal(number);
    expect(revocationOf(parseCrl((await f.pki.currentCrl()).der), a.serial)?.reason).to.equal('superseded');
  });

  it('refuses an unknown serial and an unknown reason', async () => {
    const unknown = await inTrx((trx) => f.pki.revokeCertificate(trx, '4abc', 'keyCompromise')).then(() => undefined, (e: { code: string }) => e.code);
    expect(unknown).to.equal('ERR_PKI_CERT_NOT_FOUND');
    const a = await issue();
    const bad = await inTrx((trx) => f.pki.revokeCertificate(trx, a.serial, 'cACompromise' as never)).then(() => undefined, (e: { code: string }) => e.code);
    expect(bad).to.equal('ERR_VALIDATION');
  });

  it('revokes nothing and publishes nothing when the caller transaction rolls back', async () => {
    const a = await issue();
    const before = await f.pki.currentCrl();
    await inTrx(async (trx) => {
      await f.pki.revokeCertificate(trx, a.serial, 'keyCompromise');
      throw new Error('the card update failed');
    }).catch(() => undefined);
    expect((await f.pki.certificate(a.serial))?.status).to.equal('active');
    expect((await f.pki.currentCrl()).crlNumber).to.equal(before.crlNumber);
  });

  it('suspension puts every certificate of the card on hold; reactivation takes them off the next CRL', async () => {
    const cardId = newCardId();
    const nineE = await issue(cardId, 'card-auth');
    const nineA = await issue(cardId, 'piv-auth');
    const other = await issue();
    expect(await inTrx((trx) => f.pki.revokeCardCertificates(trx, cardId, 'certificateHold'))).to.have.members([nineE.serial, nineA.serial]);
    let crl = parseCrl((await f.pki.currentCrl()).der);
    expect([...crl.entries.values()].map((e) => e.reason)).to.deep.equal(['certificateHold', 'certificateHold']);
    expect((await f.pki.certificate(nineA.serial))?.status).to.equal('on_hold');
    expect(await inTrx((trx) => f.pki.releaseCardCertificates(trx, cardId))).to.have.members([nineE.serial, nineA.serial]);
    crl = parseCrl((await f.pki.currentCrl()).der);
    expect(crl.entries.size).to.equal(0);
    expect((await f.pki.certificate(nineA.serial))?.status).to.equal('active');
    expect((await f.pki.certificate(other.serial))?.status).to.equal('active');
  });

  it('a held certificate can still be revoked for good, with the final reason', async () => {
    const cardId = newCardId();
    const a = await issue(cardId);
    await inTrx((trx) => f.pki.revokeCardCertificates(trx, cardId, 'certificateHold'));
    await inTrx((trx) => f.pki.revokeCardCertificates(trx, cardId, 'keyCompromise'));
    expect(revocationOf(parseCrl((await f.pki.currentCrl()).der), a.serial)?.reason).to.equal('keyCompromise');
    expect(await inTrx((trx) => f.pki.releaseCardCertificates(trx, cardId))).to.deep.equal([]);
  });

  it('maps card lifecycle events to CRL reasons through the hooks the cards room calls', async () => {
    const hooks = cardCertificateHooks(f.pki);
    const cases = { lost: 'keyCompromise', stolen: 'keyCompromise', damaged: 'cessationOfOperation', left: 'affiliationChanged', superseded: 'superseded' } as const;
    const serials: Record<string, string> = {};
    for (const event of Object.keys(cases) as (keyof typeof cases)[]) {
      const cardId = newCardId();
      serials[event] = (await issue(cardId)).serial;
      await inTrx((trx) => hooks.revoked(trx, cardId, event, f.clock.now()));
    }
    const crl = parseCrl((await f.pki.currentCrl()).der);
    for (const [event, reason] of Object.entries(cases)) expect(revocationOf(crl, serials[event]!)?.reason, event).to.equal(reason);
    const held = newCardId();
    const h = await issue(held);
    await inTrx((trx) => hooks.suspended(trx, held, f.clock.now()));
    expect((await f.pki.certificate(h.serial))?.status).to.equal('on_hold');
    await inTrx((trx) => hooks.resumed(trx, held, f.clock.now()));
    expect((await f.pki.certificate(h.serial))?.status).to.equal('active');
  });

  it('refreshes on read: the same CRL until the margin before nextUpdate, then a new one (no timer involved)', async () => {
    const first = await f.pki.currentCrl();
    f.clock.advance(CRL_LIFETIME_MS - CRL_REFRESH_MARGIN_MS - HOUR);
    expect((await f.pki.currentCrl()).crlNumber).to.equal(first.crlNumber);
    f.clock.advance(2 * HOUR);
    const refreshed = await f.pki.currentCrl();
    expect(refreshed.crlNumber).to.equal(first.crlNumber + 1n);
    expect(refreshed.thisUpdate.getTime()).to.equal(f.clock.now().getTime());
    // Even long after nextUpdate (nobody asked for days), the next reader gets a current CRL.
    f.clock.advance(10 * DAY);
    const late = await f.pki.currentCrl();
    expect(late.nextUpdate.getTime()).to.be.greaterThan(f.clock.now().getTime());
  });

  it('numbers CRLs strictly upwards under concurrent revocations, and every CRL lists all earlier revocations', async () => {
    const certs = await Promise.all([issue(), issue(), issue(), issue()]);
    await Promise.all(certs.map((c) => inTrx((trx) => f.pki.revokeCertificate(trx, c.serial, 'keyCompromise'))));
    const rows: { crl_number: string; entry_count: number }[] = await f.db.knex('pki_crls').select('crl_number', 'entry_count').orderBy('crl_number');
    const numbers = rows.map((r) => Number(r.crl_number));
    expect(numbers).to.deep.equal([...numbers].sort((x, y) => x - y));
    expect(new Set(numbers).size).to.equal(numbers.length);
    expect(rows.map((r) => Number(r.entry_count))).to.deep.equal([0, 1, 2, 3, 4]);
  });

  it('drops entries of certificates that have expired (RFC 5280 §3.3)', async () => {
    const short = await issue(newCardId(), 'card-auth', 1);
    const long = await issue(newCardId(), 'card-auth', 3);
    await inTrx(async (trx) => {
      await f.pki.revokeCertificate(trx, short.serial, 'keyCompromise');
      await f.pki.revokeCertificate(trx, long.serial, 'keyCompromise');
    });
    expect(parseCrl((await f.pki.currentCrl()).der).entries.size).to.equal(2);
    f.clock.advance(2 * 365 * DAY);
    const crl = parseCrl((await f.pki.currentCrl()).der);
    expect([...crl.entries.keys()]).to.deep.equal([long.serial]);
  });
});
