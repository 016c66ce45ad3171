import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { exportJWK, generateKeyPair, SignJWT, UnsecuredJWT } from 'jose';
import { isTesseraError } from '../../../shared/errors/index.js';
import { signSessionToken, verifySessionToken, SESSION_AUDIENCE, SESSION_ISSUER } from '../../../services/identity/sessions/session-tokens.js';

const t0 = new Date('2026-11-21T09:00:00Z');
const plus = (seconds: number) => new Date(t0.getTime() + seconds * 1000);

async function keyPair() {
  const { publicKey, privateKey } = await generateKeyPair('ES256');
  return { kid: `kid-${randomUUID()}`, publicKey, privateKey };
}

async function expectUnauthenticated(promise: Promise<unknown>, detail: RegExp) {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(isTesseraError(error) && error.code, 'error code').to.equal('ERR_UNAUTHENTICATED');
  expect((error as Error).message).to.match(detail);
}

describe('staff session tokens', () => {
  const claims = { jti: randomUUID(), staffId: randomUUID(), username: 'alice', roles: ['reception'], issuedAt: t0, expiresAt: plus(900) };

  it('round-trips the claims through a signed token', async () => {
    const key = await keyPair();
    const token = await signSessionToken(key, claims);
    const verified = await verifySessionToken(token, async (kid) => (kid === key.kid ? key.publicKey : undefined), plus(60));
    expect(verified).to.deep.equal(claims);
  });

  it('refuses an expired token', async () => {
    const key = await keyPair();
    const token = await signSessionToken(key, claims);
    await expectUnauthenticated(verifySessionToken(token, async () => key.publicKey, plus(900)), /expired/);
  });

  it('refuses a token signed by a key that is not ours', async () => {
    const [ours, theirs] = [await keyPair(), await keyPair()];
    const token = await signSessionToken({ kid: ours.kid, privateKey: theirs.privateKey }, claims);
    await expectUnauthenticated(verifySessionToken(token, async () => ours.publicKey, plus(1)), /not valid/);
  });

  it('refuses an unknown kid', async () => {
    const key = await keyPair();
    const token = await signSessionToken(key, claims);
    await expectUnauthenticated(verifySessionToken(token, async () => undefined, plus(1)), /session key/);
  });

  it("refuses alg 'none' and HMAC tokens (algorithm allow-list)", async () => {
    const key = await keyPair();
    const unsecured = new UnsecuredJWT({}).setIssuer(SESSION_ISSUER).setAudience(SESSION_AUDIENCE).setSubject('x').setJti('y').setIssuedAt().setExpirationTime('1h').encode();
    await expectUnauthenticated(verifySessionToken(unsecured, async () => key.publicKey, new Date()), /not valid|session key/);
    // HS256 "signed" with the public key's bytes: the classic key-confusion attack.
    const secret = new TextEncoder().encode(JSON.stringify(await exportJWK(key.publicKey)));
    const hmac = await new SignJWT({}).setProtectedHeader({ alg: 'HS256', kid: key.kid }).setIssuer(SESSION_ISSUER).setAudience(SESSION_AUDIENCE).setSubject('x').setJti('y').setIssuedAt().setExpirationTime('1h').sign(secret);
    await expectUnauthenticated(verifySessionToken(hmac, async () => key.publicKey, new Date()), /not valid/);
  });

  it('refuses a token for another audience or issuer, and one without a jti', async () => {
    const key = await keyPair();
    const sign = (build: (jwt: SignJWT) => SignJWT) =>
      build(new SignJWT({}).setProtectedHeader({ alg: 'ES256', kid: key.kid }).setSubject('s').setIssuedAt(t0).setExpirationTime(plus(900))).sign(key.privateKey);
    const lookup = async () => key.publicKey;
    await expectUnauthenticated(verifySessionToken(await sign((j) => j.setIssuer(SESSION_ISSUER).setAudience('other').setJti('j')), lookup, plus(1)), /not valid/);
    await expectUnauthenticated(verifySessionToken(await sign((j) => j.setIssuer('other').setAudience(SESSION_AUDIENCE).setJti('j')), lookup, plus(1)), /not valid/);
    await expectUnauthenticated(verifySessionToken(await sign((j) => j.setIssuer(SESSION_ISSUER).setAudience(SESSION_AUDIENCE)), lookup, plus(1)), /not valid/);
  });

  it('refuses a token whose payload was altered', async () => {
    const key = await keyPair();
    const token = await signSessionToken(key, claims);
    const [header, , signature] = token.split('.');
    const payload = Buffer.from(JSON.stringify({ ...claims, roles: ['admin'] })).toString('base64url');
    await expectUnauthenticated(verifySessionToken(`${header}.${payload}.${signature}`, async () => key.publicKey, plus(1)), /not valid/);
  });
});
