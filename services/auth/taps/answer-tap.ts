import type { AuthenticatedTap } from '../../../shared/modules/index.js';
import type { CertificateView } from '../../../shared/x509/index.js';
import type { AuthRuntime } from '../auth-runtime.js';
import type { RegisteredPurpose } from '../modules/module-registry.js';
import type { ReaderRecord } from '../readers/reader-record.js';
import { verifyCardCredential, type CredentialRefusal, type VerifiedCredential } from '../verification/card-credential.js';
import type { ChallengeRow, TapRecord } from './challenge-store.js';
import { finishTap } from './finish-tap.js';
import { encodeTapForSigning } from '../../../shared/taps/index.js';
import { cardholderDisplay, type TapOutcome } from './tap-outcome.js';
import type { TapReason } from './tap-reasons.js';

/** The reader's answer to a challenge (POST /v1/taps/{id}/response), base64 fields as sent. */
export interface TapAnswer {
  readonly certificate?: string;
  readonly certificateRef?: string;
  readonly signature: string;
  readonly payload?: string;
}

const noRecord: TapRecord = { decision: null, reason: null, assurance: null, cardId: null, cardholderId: null, fingerprint: null, issuer: null, module: null };

/**
 * Verifies and decides one answered tap, reading top to bottom as the checks it makes. Every
 * refusal is a `denied` outcome with its reason (never an exception, never a 500); a refusal
 * the tap row can carry is recorded on it, in the same statement that consumes the challenge.
 */
export async function answerTap(rt: AuthRuntime, reader: ReaderRecord, tapId: string, answer: TapAnswer): Promise<TapOutcome> {
  const started = performance.now();
  const now = rt.now();
  const base = { tapId, purpose: null, target: null, assurance: null, subject: null, cardId: null, cardholder: null, display: {} } as const;
  const rejected = (reason: TapReason, tap?: ChallengeRow) =>
    finishTap(rt, reader, { ...base, decision: 'denied', reason, purpose: tap?.purpose ?? null, target: tap?.target ?? null }, started, { recorded: false });

  // The challenge exists and was issued to this reader: another reader's challenge is not its to answer (or to use up).
  // (This process usually issued it: then the cached row saves a read; single use is still the database's.)
  const tap = rt.challengeCache.take(tapId) ?? (await rt.challengeStore.read(tapId));
  if (!tap) return rejected('challenge_unknown');
  if (tap.readerId !== reader.id) return rejected('challenge_wrong_reader');
  // It has not been answered before: a replayed response is refused, whatever it carries.
  if (tap.consumedAt) return rejected('challenge_replayed', tap);
  const facts = { ...base, purpose: tap.purpose, target: tap.target };
  const deny = async (reason: TapReason, record: Partial<TapRecord> = {}) => {
    const full: TapRecord = { ...noRecord, ...record, decision: 'denied', reason };
    if (!(await rt.challengeStore.consume(tap, now, full))) return raced(tap);
    return finishTap(rt, reader, { ...facts, decision: 'denied', reason, assurance: full.assurance }, started, { recorded: true });
  };
  const raced = async (row: ChallengeRow) => rejected((await rt.challengeStore.read(row.id))?.consumedAt ? 'challenge_replayed' : 'challenge_expired', row);

  // It is answered within its time to live.
  if (tap.expiresAt.getTime() <= now.getTime()) {
    await rt.challengeStore.closeExpired(tap, now, { ...noRecord, decision: 'denied', reason: 'challenge_expired' });
    return finishTap(rt, reader, { ...facts, decision: 'denied', reason: 'challenge_expired' }, started, { recorded: true });
  }

  // Someone still decides the purpose the challenge was issued for.
  const purpose = rt.registry.purpose(tap.purpose);
  if (!purpose) return deny('purpose_unknown');

  // The payload is no larger than the purpose accepts.
  const payload = Buffer.from(answer.payload ?? '', 'base64');
  if (payload.length > (purpose.declaration.maxPayloadBytes ?? rt.settings.maxPayloadBytes)) return deny('payload_too_large');

  // The certificate is a well-formed X.509 certificate, or a reference to one the platform knows.
  let certificate: CertificateView | undefined;
  try {
    certificate = answer.certificate !== undefined ? rt.certificates.fromBase64(answer.certificate) : await rt.certificates.fromReference(answer.certificateRef ?? '');
  } catch {
    return deny('certificate_malformed');
  }
  if (!certificate) return deny('certificate_unknown');

  // The card's credential: chain, issuer allowed for the purpose, signature over the bytes we rebuilt, card status, assurance.
  const tbs = encodeTapForSigning({ challenge: tap.challenge, readerId: reader.id, purpose: tap.purpose, target: tap.target, payload });
  const verdict = await verifyCardCredential({ certificate, signature: Buffer.from(answer.signature, 'base64'), tbs, purpose, at: now }, rt);
  if (!verdict.ok) return deny(verdict.reason, refusalRecord(certificate, verdict));
  const credential = verdict.credential;
  const record = credentialRecord(credential);

  // The card is not tapping faster than a person can (per-card rate).
  const cardKey = credential.kind === 'platform' ? credential.status.cardId : credential.fingerprint;
  if (!rt.cardBuckets.take(cardKey, now.getTime(), rt.settings.cardTapsPerMinute / 60, rt.settings.cardBurst)) return deny('rate_limited', record);

  // The module deciding the purpose is switched on.
  if (purpose.module && !purpose.enabled) return deny('module_disabled', { ...record, module: purpose.module.name });

  const subject = credential.kind === 'platform' ? credential.status.cardholder.id : `cert:${credential.fingerprint}`;
  const granted = { ...facts, assurance: credential.assurance, cardId: record.cardId, subject, cardholder: cardholderDisplay(credential, purpose.declaration.display ?? []) };
  if (!purpose.module) {
    // A platform purpose (identity.verify): the verified card is the answer. Consume and record in one statement.
    if (!(await rt.challengeStore.consume(tap, now, { ...record, decision: 'granted', reason: 'ok' }))) return raced(tap);
    return finishTap(rt, reader, { ...granted, decision: 'granted', reason: 'ok', display: {} }, started, { recorded: true });
  }

  // A module's purpose: consume first, so a module acts at most once per challenge, then ask it.
  if (!(await rt.challengeStore.consume(tap, now, { ...record, module: purpose.module.name }))) return raced(tap);
  const decided = await rt.router.decide(purpose, authenticatedTap(tap, reader, purpose, credential, payload, now));
  await rt.challengeStore.record(tap, now, { ...record, module: purpose.module.name, decision: decided.decision, reason: decided.reason });
  return finishTap(rt, reader, { ...granted, decision: decided.decision, reason: decided.reason, display: decided.display }, started, { recorded: true });
}

function credentialRecord(credential: VerifiedCredential): TapRecord {
  return {
    ...noRecord,
    assurance: credential.assurance,
    fingerprint: credential.fingerprint,
    cardId: credential.kind === 'platform' ? credential.status.cardId : null,
    cardholderId: credential.kind === 'platform' ? credential.status.cardholder.id : null,
    issuer: credential.kind === 'platform' ? 'platform' : credential.anchor.id,
  };
}

function refusalRecord(certificate: CertificateView, refusal: CredentialRefusal): Partial<TapRecord> {
  return {
    fingerprint: certificate.fingerprint,
    cardId: refusal.status?.cardId ?? null,
    cardholderId: refusal.status?.cardholder.id ?? null,
    issuer: refusal.status ? 'platform' : (refusal.anchorId ?? null),
  };
}

function authenticatedTap(tap: ChallengeRow, reader: ReaderRecord, purpose: RegisteredPurpose, credential: VerifiedCredential, payload: Uint8Array, at: Date): AuthenticatedTap {
  return {
    id: tap.id,
    purpose: purpose.name,
    target: tap.target,
    at,
    assurance: credential.assurance,
    reader: { id: reader.id, name: reader.name, kind: reader.kind, site: reader.site, location: reader.location },
    credential:
      credential.kind === 'platform'
        ? { kind: 'platform', cardId: credential.status.cardId, cardholderId: credential.status.cardholder.id, cardholderReference: credential.status.cardholder.reference }
        : { kind: 'external', anchorId: credential.anchor.id, anchorName: credential.anchor.name, subject: credential.certificate.subject, serial: credential.certificate.serial },
    payload,
  };
}
