import { createHash } from 'node:crypto';
import type { CardChannel } from '../../shared/card/card-channel.js';
import { PivClient, PivSlot, type PivKeyAlgorithm } from '../../shared/piv/index.js';
import { parseCertificate } from '../../shared/x509/index.js';
import { encodeTapForSigning } from '../../shared/taps/index.js';
import type { PinSource } from './pin-source.js';
import type { Decision, PlatformClient } from './platform-client.js';

export interface TapRequest {
  readonly purpose: string;
  readonly target?: string | undefined;
  readonly payload?: Uint8Array | undefined;
}

const SLOTS = { '9A': PivSlot.Authentication, '9E': PivSlot.CardAuthentication } as const;

/** The PIV algorithm of a certificate's key, as GENERAL AUTHENTICATE names it. */
export function algorithmOfCertificate(der: Uint8Array): PivKeyAlgorithm {
  const key = parseCertificate(der).keyDescription;
  if (key.type === 'ec' && 'curve' in key && key.curve === 'P-256') return 'P256';
  if (key.type === 'rsa' && 'bits' in key && key.bits === 2048) return 'RSA2048';
  throw new Error(`the card key (${JSON.stringify(key)}) is neither P-256 nor RSA-2048`);
}

/**
 * One tap with the card on `channel` (docs/tap-protocol.md): select PIV, ask for a challenge,
 * read the certificate of the slot the challenge names, VERIFY the PIN when that is 9A, have
 * the card sign SHA-256 of the canonical bytes, send the answer, return the decision. Card
 * removal mid-way rejects with the reader's CardRemovedError; `signal` aborts the platform calls.
 */
export async function tapCard(channel: CardChannel, client: PlatformClient, request: TapRequest, pins: PinSource, signal: AbortSignal): Promise<Decision> {
  const piv = new PivClient(channel);
  await piv.select();
  const challenge = await client.challenge(request.purpose, request.target, signal);
  const slot = SLOTS[challenge.slot];
  const certificate = await piv.readCertificate(slot);
  const algorithm = algorithmOfCertificate(certificate);
  const payload = request.payload ?? new Uint8Array(0);
  const tbs = encodeTapForSigning({ challenge: Buffer.from(challenge.challenge, 'base64'), readerId: challenge.readerId, purpose: challenge.purpose, target: challenge.target, payload });
  const digest = createHash('sha256').update(tbs).digest();
  // 9A is the PIV Authentication key: the card uses it only after a correct PIN (two factors).
  const pin = challenge.slot === '9A' ? await pins.pin({ purpose: challenge.purpose, target: challenge.target, signal }) : undefined;
  const signature = await piv.signDigest(slot, algorithm, digest, pin !== undefined ? { pin } : {});
  signal.throwIfAborted();
  return client.answer(
    challenge.id,
    {
      certificate: Buffer.from(certificate).toString('base64'),
      signature: Buffer.from(signature).toString('base64'),
      ...(payload.length > 0 ? { payload: Buffer.from(payload).toString('base64') } : {}),
    },
    signal,
  );
}
