/**
 * FOR TESTS AND BENCHMARKS ONLY: one tap over HTTP as a reader makes it, with a card that
 * signs in software (or a function that signs as a real card would). The reader agent does
 * the same with a PIV card (services/reader-agent).
 */
import { encodeTapForSigning } from '../../../shared/taps/index.js';

export interface TapOptions {
  readonly purpose?: string;
  readonly target?: string;
  readonly slot?: '9A' | '9E';
  readonly payload?: Uint8Array;
  /** Send the certificate's SHA-256 instead of the certificate. */
  readonly certificateRef?: string;
  /** Change the answer before it is sent (adversarial tests). */
  readonly tamper?: (answer: { certificate?: string; certificateRef?: string; signature: string; payload?: string }) => Record<string, unknown>;
}

export interface Signer {
  readonly certificates: { readonly '9A': Uint8Array; readonly '9E': Uint8Array };
  sign(slot: '9A' | '9E', tbs: Uint8Array): Buffer | Promise<Buffer>;
}

export interface TapReaderClient {
  readonly baseUrl: string;
  readonly credential: string;
}

export async function postJson(client: TapReaderClient, path: string, body: unknown): Promise<{ status: number; body: any }> {
  const response = await fetch(`${client.baseUrl}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${client.credential}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

/** Asks for a challenge. */
export async function requestChallenge(client: TapReaderClient, purpose: string, target?: string) {
  const response = await postJson(client, '/v1/taps', { purpose, ...(target !== undefined ? { target } : {}) });
  if (response.status !== 201) throw new Error(`challenge refused: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body as { id: string; challenge: string; readerId: string; purpose: string; target: string; slot: '9A' | '9E'; expiresAt: string };
}

/** The answer to a challenge: certificate (or its reference), signature over the rebuilt bytes, payload. */
export async function answerFor(challenge: Awaited<ReturnType<typeof requestChallenge>>, card: Signer, options: TapOptions = {}) {
  const slot = options.slot ?? challenge.slot;
  const payload = options.payload ?? new Uint8Array(0);
  const tbs = encodeTapForSigning({ challenge: Buffer.from(challenge.challenge, 'base64'), readerId: challenge.readerId, purpose: challenge.purpose, target: challenge.target, payload });
  const signature = Buffer.from(await card.sign(slot, tbs)).toString('base64');
  const answer = {
    ...(options.certificateRef ? { certificateRef: options.certificateRef } : { certificate: Buffer.from(card.certificates[slot]).toString('base64') }),
    signature,
    ...(payload.length > 0 ? { payload: Buffer.from(payload).toString('base64') } : {}),
  };
  return options.tamper ? options.tamper(answer) : answer;
}

/** Challenge, sign, answer: the decision as the reader gets it. */
export async function tapWith(client: TapReaderClient, card: Signer, options: TapOptions = {}): Promise<{ status: number; body: any; tapId: string; answer: unknown }> {
  const challenge = await requestChallenge(client, options.purpose ?? 'identity.verify', options.target);
  const answer = await answerFor(challenge, card, options);
  const response = await postJson(client, `/v1/taps/${challenge.id}/response`, answer);
  return { ...response, tapId: challenge.id, answer };
}
