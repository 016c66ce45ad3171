import { createPublicKey, type KeyObject } from 'node:crypto';
import type { CardChannel } from '../card/card-channel.js';
import { keyAlgorithms, type PivKeyAlgorithm } from './algorithms.js';
import { concatBytes, encodeTlv } from '../tlv/index.js';
import { parseOneTlv, parseTlvs, valueOf } from './response-tlv.js';
import { Ins, type PivSlot } from './constants.js';
import { CardProtocolError } from './errors.js';
import { transactOk } from './transport.js';

export interface GeneratedKey {
  readonly algorithm: PivKeyAlgorithm;
  readonly publicKey: KeyObject;
  /** SubjectPublicKeyInfo, DER: what a certificate request or `openssl x509 -force_pubkey` needs. */
  readonly spki: Uint8Array;
}

/** PIN and touch policies are YubiKey extensions in the AC template (tags AA, AB; digest §5). */
export interface GenerateOptions {
  readonly pinPolicy?: number;
  readonly touchPolicy?: number;
}

const TAG_CONTROL = 0xac;
const TAG_ALGORITHM = 0x80;
const TAG_PIN_POLICY = 0xaa;
const TAG_TOUCH_POLICY = 0xab;
const TAG_PUBLIC_KEY = 0x7f49;
const TAG_MODULUS = 0x81;
const TAG_EXPONENT = 0x82;
const TAG_POINT = 0x86;

/**
 * GENERATE ASYMMETRIC KEY PAIR 00 47 00 slot AC{80 alg} (SP 800-73-4 Part 2 §3.3.2). Needs
 * management-key authentication. The new private key replaces the old; the certificate stays.
 */
export async function generateKeyPair(
  channel: CardChannel,
  slot: PivSlot,
  algorithm: PivKeyAlgorithm,
  options: GenerateOptions = {},
): Promise<GeneratedKey> {
  const spec = keyAlgorithms[algorithm];
  const control = [encodeTlv(TAG_ALGORITHM, Uint8Array.of(spec.id))];
  if (options.pinPolicy !== undefined) control.push(encodeTlv(TAG_PIN_POLICY, Uint8Array.of(options.pinPolicy)));
  if (options.touchPolicy !== undefined) control.push(encodeTlv(TAG_TOUCH_POLICY, Uint8Array.of(options.touchPolicy)));
  const data = encodeTlv(TAG_CONTROL, concatBytes(...control));
  const name = `GENERATE ${slot.toString(16).toUpperCase()}`;
  const answer = await transactOk(channel, { name, ins: Ins.GenerateKeyPair, p1: 0x00, p2: slot, data, expectData: true });
  const publicKey = decodePublicKey(parseOneTlv(answer, TAG_PUBLIC_KEY, name), algorithm);
  return { algorithm, publicKey, spki: new Uint8Array(publicKey.export({ type: 'spki', format: 'der' })) };
}

/** The 7F49 template: RSA {81 n, 82 e}; EC {86 04||X||Y} (Part 2 §3.3.2, Table 10). */
export function decodePublicKey(template: Uint8Array, algorithm: PivKeyAlgorithm): KeyObject {
  const items = parseTlvs(template, 'public key template 7F49');
  const spec = keyAlgorithms[algorithm];
  if (spec.kind === 'rsa') {
    const n = valueOf(items, TAG_MODULUS);
    const e = valueOf(items, TAG_EXPONENT);
    if (n === undefined || e === undefined) throw new CardProtocolError('7F49: an RSA key needs 81 (modulus) and 82 (exponent)');
    if (stripLeadingZeros(n).length !== spec.size) throw new CardProtocolError(`7F49: ${algorithm} modulus is not ${spec.size} bytes`);
    return createPublicKey({ key: { kty: 'RSA', n: base64url(stripLeadingZeros(n)), e: base64url(stripLeadingZeros(e)) }, format: 'jwk' });
  }
  const point = valueOf(items, TAG_POINT);
  if (point === undefined || point.length !== 1 + 2 * spec.size || point[0] !== 0x04) {
    throw new CardProtocolError(`7F49: ${algorithm} needs 86 with an uncompressed point of ${1 + 2 * spec.size} bytes`);
  }
  const x = point.subarray(1, 1 + spec.size);
  const y = point.subarray(1 + spec.size);
  try {
    return createPublicKey({ key: { kty: 'EC', crv: spec.curve, x: base64url(x), y: base64url(y) }, format: 'jwk' });
  } catch (cause) {
    throw new CardProtocolError(`7F49: the point is not on ${spec.curve}: ${(cause as Error).message}`);
  }
}

function stripLeadingZeros(bytes: Uint8Array): Uint8Array {
  let i = 0;
  while (i < bytes.length - 1 && bytes[i] === 0) i++;
  return bytes.subarray(i);
}

function base64url(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('base64url');
}
