import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import { verifyAuditChain } from '../../../shared/audit/index.js';
import { identityService } from '../../../services/identity/identity-service.js';
import { clientAs, headerAuthenticator } from '../../support/test-auth.js';
import { sharedTestDatabase, type TestDatabase } from '../../support/test-database.js';
import { startTestPlatform, type TestPlatform } from '../../support/test-platform.js';

const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');
const unique = () => randomUUID().slice(0, 8).toUpperCase();

async function insertCard(db: TestDatabase, cardholderId: string, status: string, extra: Record<string, unknown> = {}) {
  const id = randomUUID();
  await db.knex('cards').insert({
    id,
    cardholder_id: cardholderId,
    kind: 'standard',
    status,
    algorithm: 'p256',
    expires_at: new Date(Date.now() + 365 * 86400_000),
    revocation_reason: status === 'revoked' ? 'lost' : null,
    ...extra,
  });
  return id;
}

describe('cardholders and the card lifecycle over HTTP', () => {
  let db: TestDatabase;
  let t: TestPlatform;
  let desk: ReturnType<typeof clientAs>;
  let admin: ReturnType<typeof clientAs>;
  before(async () => {
    db = await sharedTestDatabase();
    t = await startTestPlatform({ db, services: [identityService()], authenticate: headerAuthenticator });
    desk = clientAs(t.baseUrl, 'reception');
    admin = clientAs(t.baseUrl, 'admin');
  });
  after(() => t.close());

  const enrol = async (extra: Record<string, unknown> = {}) => {
    const response = await desk.post('/v1/cardholders', { givenName: 'Ada', familyName: `Lovelace ${unique()}`, kind: 'staff', orgUnit: 'Libraries', ...extra });
    expect(response.status, JSON.stringify(response.body)).to.equal(201);
    return response.body as { id: string; reference: string; familyName: string };
  };

  it('enrols a cardholder with a reference, and finds them by name, reference and staff number', async () => {
    const staffNumber = `S${unique()}`;
    const holder = await enrol({ staffNumber, email: 'ada@example.org', dateOfBirth: '1990-12-10' });
    expect(holder.reference).to.match(/^TH-\d{6}$/);
    const byName = await desk.get(`/v1/cardholders?q=${encodeURIComponent(holder.familyName.toLowerCase())}`);
    expect(byName.body.items.map((c: any) => c.id)).to.deep.equal([holder.id]);
    const byRef = await desk.get(`/v1/cardholders?q=${holder.reference}`);
    expect(byRef.body.items[0].id).to.equal(holder.id);
    const byNumber = await desk.get(`/v1/cardholders?q=${staffNumber}`);
    expect(byNumber.body.items[0]).to.include({ id: holder.id, staffNumber, dateOfBirth: '1990-12-10', hasPhoto: false });
  });

  it('refuses a duplicate external reference naming the field, and bad input with 4xx', async () => {
    const libraryNumber = `L${unique()}`;
    await enrol({ libraryNumber });
    const again = await desk.post('/v1/cardholders', { givenName: 'B', familyName: 'C', kind: 'resident', libraryNumber });
    expect(again.status).to.equal(409);
    expect(again.body).to.include({ code: 'ERR_CARDHOLDER_REFERENCE_TAKEN', field: 'libraryNumber' });
    for (const body of [
      { givenName: 'B', familyName: 'C', kind: 'alien' },
      { givenName: '', familyName: 'C', kind: 'pupil' },
      { givenName: 'B', familyName: 'C', kind: 'pupil', pupilUpn: 'not-a-upn' },
      { givenName: 'B', familyName: 'C', kind: 'pupil', favouriteColour: 'blue' },
      { givenName: 'B', familyName: 'C', kind: 'pupil', photo: { contentType: 'image/png', data: Buffer.from('GIF89a').toString('base64') } },
    ]) {
      const response = await desk.post('/v1/cardholders', body);
      expect(response.status, JSON.stringify(body)).to.be.oneOf([400, 422]);
      expect(response.headers.get('content-type')).to.match(/problem\+json/);
    }
  });

  it('stores a photo, serves it, and updates details while auditing only field names', async () => {
    const holder = await enrol({ photo: { contentType: 'image/png', data: PNG.toString('base64') } });
    const photo = await fetch(`${t.baseUrl}/v1/cardholders/${holder.id}/photo`, { headers: { 'x-test-role': 'reception' } });
    expect(photo.headers.get('content-type')).to.equal('image/png');
    expect(Buffer.from(await photo.arrayBuffer()).equals(PNG)).to.equal(true);
    const updated = await desk.patch(`/v1/cardholders/${holder.id}`, { orgUnit: 'Finance', email: 'secret-address@example.org' });
    expect(updated.status).to.equal(200);
    expect(updated.body.orgUnit).to.equal('Finance');
    const audit = await db.knex('audit_events').where({ subject_id: holder.id, action: 'cardholder.update' }).first();
    expect(audit.details.fields).to.have.members(['orgUnit', 'email']);
    expect(JSON.stringify(audit.details)).not.to.include('secret-address');
  });

  it('lets only the desk enrol, and only admin export or erase', async () => {
    const holder = await enrol();
    expect((await clientAs(t.baseUrl, 'finance').post('/v1/cardholders', { givenName: 'X', familyName: 'Y', kind: 'visitor' })).status).to.equal(403);
    expect((await clientAs(t.baseUrl, undefined).get(`/v1/cardholders/${holder.id}`)).status).to.equal(401);
    expect((await desk.get(`/v1/cardholders/${holder.id}/subject-access-export`)).status).to.equal(403);
    expect((await desk.post(`/v1/cardholders/${holder.id}/erasure`)).status).to.equal(403);
  });

  it('walks a card through its lifecycle and refuses illegal changes with 409', async () => {
    const holder = await enrol();
    const cardId = await insertCard(db, holder.id, 'issued');
    expect((await desk.post(`/v1/cards/${cardId}/resume`, {})).body).to.include({ code: 'ERR_ILLEGAL_CARD_TRANSITION', from: 'issued' });
    expect((await desk.post(`/v1/cards/${cardId}/activate`, {})).body.status).to.equal('active');
    expect((await desk.post(`/v1/cards/${cardId}/suspend`, { note: 'left at home' })).body.status).to.equal('suspended');
    expect((await desk.post(`/v1/cards/${cardId}/resume`, {})).body.status).to.equal('active');
    const missingReason = await desk.post(`/v1/cards/${cardId}/revoke`, {});
    expect(missingReason.status).to.equal(400);
    const revoked = await desk.post(`/v1/cards/${cardId}/revoke`, { reason: 'stolen' });
    expect(revoked.body).to.include({ status: 'revoked', revocationReason: 'stolen' });
    const again = await desk.post(`/v1/cards/${cardId}/activate`, {});
    expect(again.status).to.equal(409);
    expect(again.body).to.include({ code: 'ERR_ILLEGAL_CARD_TRANSITION', from: 'revoked' });
    const actions = (await db.knex('audit_events').where({ subject_id: cardId }).orderBy('seq')).map((r: any) => r.action);
    expect(actions).to.deep.equal(['card.activate', 'card.suspend', 'card.resume', 'card.revoke']);
    expect((await desk.post(`/v1/cards/${randomUUID()}/suspend`, {})).status).to.equal(404);
  });

  it('reads a card past its expiry as expired, and refuses to use it', async () => {
    const holder = await enrol();
    const cardId = await insertCard(db, holder.id, 'active', { expires_at: new Date(Date.now() - 1000) });
    expect((await desk.get(`/v1/cards/${cardId}`)).body.status).to.equal('expired');
    expect((await desk.post(`/v1/cards/${cardId}/suspend`, {})).status).to.equal(409);
  });

  it('holds at most one live card per cardholder in the database itself', async () => {
    const holder = await enrol();
    await insertCard(db, holder.id, 'active');
    let refused: any;
    try {
      await insertCard(db, holder.id, 'issuing');
    } catch (error) {
      refused = error;
    }
    expect(refused?.code).to.equal('23505');
    // A temporary card is the one allowed extra.
    await insertCard(db, holder.id, 'issued', { kind: 'temporary' });
  });

  it('exports everything about a cardholder and erases them while the audit chain stays whole', async () => {
    const holder = await enrol({ email: 'erase-me@example.org', photo: { contentType: 'image/png', data: PNG.toString('base64') } });
    const cardId = await insertCard(db, holder.id, 'active');
    const exported = await admin.get(`/v1/cardholders/${holder.id}/subject-access-export`);
    expect(exported.status).to.equal(200);
    expect(exported.body.cardholder).to.include({ email: 'erase-me@example.org' });
    expect(exported.body.cardholder.photo.data).to.equal(PNG.toString('base64'));
    expect(exported.body.cards.map((c: any) => c.id)).to.deep.equal([cardId]);
    expect(exported.body.activity.map((a: any) => a.action)).to.include('cardholder.create');
    expect(JSON.stringify(exported.body)).not.to.match(/puk|management_key/i);

    const erased = await admin.post(`/v1/cardholders/${holder.id}/erasure`);
    expect(erased.status).to.equal(200);
    expect(erased.body).to.include({ status: 'erased', givenName: 'Erased', email: null, hasPhoto: false });
    expect(erased.body.familyName).not.to.include('Lovelace');
    expect((await desk.get(`/v1/cards/${cardId}`)).body).to.include({ status: 'revoked', revocationReason: 'left' });
    expect((await desk.get(`/v1/cardholders?q=${encodeURIComponent(holder.familyName)}`)).body.items).to.deep.equal([]);
    expect((await desk.patch(`/v1/cardholders/${holder.id}`, { orgUnit: 'X' })).status).to.equal(410);
    const row = await db.knex('cardholders').where({ id: holder.id }).first();
    expect(row.photo).to.equal(null);
    const verification = await verifyAuditChain(db);
    expect(verification.ok, JSON.stringify(verification)).to.equal(true);
  });
});
