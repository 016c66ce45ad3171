import { randomUUID } from 'node:crypto';
import { TesseraError } from '../../../shared/errors/index.js';
import type { Assurance } from '../../../shared/modules/index.js';
import type { AuthRuntime } from '../auth-runtime.js';
import type { ReaderRecord } from '../readers/reader-record.js';
import { CHALLENGE_BYTES, TAP_ENCODING_VERSION } from '../../../shared/taps/index.js';
import { RandomPool } from './random-pool.js';

const challengeBytes = new RandomPool();

export interface ChallengeRequest {
  readonly purpose: string;
  readonly target?: string;
}

export interface IssuedChallenge {
  readonly id: string;
  readonly challenge: string;
  readonly expiresAt: string;
  readonly readerId: string;
  readonly purpose: string;
  readonly target: string;
  readonly minimumAssurance: Assurance;
  /** The PIV key slot to sign with: 9A (after the PIN) when the purpose needs card+pin, else 9E. */
  readonly slot: '9A' | '9E';
  readonly maxPayloadBytes: number;
  readonly encodingVersion: number;
}

/**
 * A fresh 32-byte challenge bound to this reader, purpose and target, usable once before it
 * expires. The reader may only ask for the platform's purposes and those of the module it
 * serves, and only for its registered target (or, without one, any target it names).
 */
export async function issueChallenge(rt: AuthRuntime, reader: ReaderRecord, request: ChallengeRequest): Promise<IssuedChallenge> {
  const purpose = rt.registry.purpose(request.purpose);
  if (!purpose) throw new TesseraError('ERR_TAP_PURPOSE_UNKNOWN', `No module decides ${request.purpose}`, { purpose: request.purpose });
  if (purpose.module !== undefined && purpose.module.name !== reader.module) {
    throw new TesseraError('ERR_TAP_PURPOSE_NOT_FOR_READER', `Reader ${reader.name} serves ${reader.module ?? 'no module'}, not ${purpose.module.name}`, {
      purpose: request.purpose,
    });
  }
  if (reader.target !== null && request.target !== undefined && request.target !== reader.target) {
    throw new TesseraError('ERR_TAP_TARGET_MISMATCH', `Reader ${reader.name} is registered for ${reader.target}`, { target: reader.target });
  }
  const target = reader.target ?? request.target ?? reader.name;
  const now = rt.now();
  const id = randomUUID();
  const challenge = challengeBytes.take(CHALLENGE_BYTES);
  const expiresAt = new Date(now.getTime() + rt.settings.challengeSeconds * 1000);
  const row = { id, readerId: reader.id, purpose: purpose.name, target, challenge, expiresAt, consumedAt: null };
  await rt.challengeStore.insert({ ...row, createdAt: now });
  rt.challengeCache.add(row, now);
  const minimumAssurance = purpose.declaration.minimumAssurance;
  return {
    id,
    challenge: challenge.toString('base64'),
    expiresAt: expiresAt.toISOString(),
    readerId: reader.id,
    purpose: purpose.name,
    target,
    minimumAssurance,
    slot: minimumAssurance === 'card+pin' ? '9A' : '9E',
    maxPayloadBytes: purpose.declaration.maxPayloadBytes ?? rt.settings.maxPayloadBytes,
    encodingVersion: TAP_ENCODING_VERSION,
  };
}
