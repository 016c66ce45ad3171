import { createHash, generateKeyPairSync, randomBytes, sign, verify } from 'node:crypto';
import { verifyAuthenticationResponse } from '@simplewebauthn/server';
import { isoCBOR } from '@simplewebauthn/server/helpers';
import type { Database } from '../../shared/db/index.js';
import { encodeTapForSigning } from '../../shared/taps/index.js';
import type { NotificationFeed } from '../../services/auth/notifications/notification-feed.js';
import { buildModuleRegistry } from '../../services/auth/modules/module-registry.js';
import { verifyCardCredential } from '../../services/auth/verification/card-credential.js';
import { CardStatusDirectory } from '../../services/auth/verification/card-status.js';
import { CertificateViews } from '../../services/auth/verification/certificate-views.js';
import { TrustStore } from '../../services/auth/verification/trust-store.js';
import type { SoftwareCard } from '../../services/auth/testing/software-card.js';
import type { PlatformPki } from '../../services/identity/pki/index.js';

/** Calls `work` back to back for `seconds` and returns calls per second. */
async function rate(seconds: number, work: () => unknown): Promise<number> {
  for (let i = 0; i < 200; i++) await work();
  let count = 0;
  const started = performance.now();
  const ends = started + seconds * 1000;
  while (performance.now() < ends) {
    for (let i = 0; i < 50; i++) await work();
    count += 50;
  }
  return count / ((performance.now() - started) / 1000);
}

/** A feed that is up and never announces anything: the caches stay warm, as between revocations. */
const quietFeed: NotificationFeed = { healthy: true, subscribe: () => undefined, onReset: () => undefined, start: async () => undefined, close: async () => undefined };

export interface VerifyFigures {
  /** Bare node:crypto ECDSA P-256 / SHA-256 verifications per second: the ceiling of any verify path. */
  readonly ceiling: number;
  /** The platform's in-process path per second, as answer-tap.ts runs it: certificate from the cache, canonical bytes, chain, signature, card status, assurance. */
  readonly platformPath: number;
  /** verifyAuthenticationResponse (@simplewebauthn/server) on an equivalent ES256 assertion, per second. */
  readonly simpleWebAuthn: number;
}

export async function measureVerifyPaths(db: Database, pki: PlatformPki, card: SoftwareCard, seconds: number): Promise<VerifyFigures> {
  const challenge = randomBytes(32);
  const readerId = '3f2b6c1e-8d4a-4e7b-9c0d-5a6b7c8d9e0f';
  const tbs = encodeTapForSigning({ challenge, readerId, purpose: 'identity.verify', target: 'Kiosk', payload: new Uint8Array(0) });
  const signature = card.sign('9E', tbs);
  const der = card.certificates['9E'];

  // The ceiling: one bare verify with a ready KeyObject.
  const views = new CertificateViews(db.knex);
  const publicKey = views.fromDer(der).publicKey;
  const ceiling = await rate(seconds, () => {
    if (!verify('sha256', tbs, publicKey, signature)) throw new Error('ceiling: bad signature');
  });

  // The platform's path, as answer-tap.ts runs it, with warm caches (no database round trip).
  const authorities = await pki.authorities();
  const trust = new TrustStore(async () => ({ platform: { anchors: authorities.filter((a) => a.role === 'root').map((a) => a.certificate), intermediates: authorities.filter((a) => a.role !== 'root').map((a) => a.certificate) }, external: [] }), quietFeed);
  const cards = new CardStatusDirectory(db.knex, quietFeed);
  const purpose = buildModuleRegistry([]).purpose('identity.verify')!;
  const certificateBase64 = Buffer.from(der).toString('base64');
  const platformPath = await rate(seconds, async () => {
    const certificate = views.fromBase64(certificateBase64);
    const bytes = encodeTapForSigning({ challenge, readerId, purpose: 'identity.verify', target: 'Kiosk', payload: new Uint8Array(0) });
    const verdict = await verifyCardCredential({ certificate, signature, tbs: bytes, purpose, at: new Date() }, { trust, cards });
    if (!verdict.ok) throw new Error(`platform path: ${verdict.reason}`);
  });

  // SimpleWebAuthn on the same kind of signature: ES256 by a P-256 key over SHA-256 of the signed data.
  const key = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const jwk = key.publicKey.export({ format: 'jwk' });
  const cose = isoCBOR.encode(new Map<number, number | Uint8Array>([[1, 2], [3, -7], [-1, 1], [-2, Buffer.from(jwk.x!, 'base64url')], [-3, Buffer.from(jwk.y!, 'base64url')]]));
  const rpID = 'tessera.example';
  const origin = 'https://tessera.example';
  const expectedChallenge = challenge.toString('base64url');
  const authenticatorData = Buffer.concat([createHash('sha256').update(rpID).digest(), Buffer.of(0x05), Buffer.of(0, 0, 0, 1)]);
  const clientDataJSON = Buffer.from(JSON.stringify({ type: 'webauthn.get', challenge: expectedChallenge, origin, crossOrigin: false }));
  const assertion = sign('sha256', Buffer.concat([authenticatorData, createHash('sha256').update(clientDataJSON).digest()]), key.privateKey);
  const credentialId = randomBytes(16).toString('base64url');
  const response = {
    id: credentialId,
    rawId: credentialId,
    type: 'public-key' as const,
    response: { authenticatorData: authenticatorData.toString('base64url'), clientDataJSON: clientDataJSON.toString('base64url'), signature: assertion.toString('base64url') },
    clientExtensionResults: {},
  };
  const simpleWebAuthn = await rate(seconds, async () => {
    const result = await verifyAuthenticationResponse({
      response,
      expectedChallenge,
      expectedOrigin: origin,
      expectedRPID: rpID,
      credential: { id: credentialId, publicKey: cose, counter: 0 },
      requireUserVerification: false,
    });
    if (!result.verified) throw new Error('simplewebauthn: not verified');
  });
  return { ceiling, platformPath, simpleWebAuthn };
}
