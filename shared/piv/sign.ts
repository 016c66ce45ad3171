import type { CardChannel } from '../card/card-channel.js';
import { keyAlgorithms, type PivKeyAlgorithm } from './algorithms.js';
import { concatBytes } from '../tlv/index.js';
import type { PivSlot } from './constants.js';
import { AuthTag, generalAuthenticateOk, requireAuthItem } from './general-authenticate.js';
import { CardProtocolError } from './errors.js';

/** DER of DigestInfo{ sha256, NULL } without the hash (RFC 8017 §9.2 note 1). */
export const SHA256_DIGEST_INFO_PREFIX = Uint8Array.from(Buffer.from('3031300d060960864801650304020105000420', 'hex'));
const SHA256_LENGTH = 32;

/**
 * EMSA-PKCS1-v1_5 (RFC 8017 §9.2): 00 01 FF..FF 00 DigestInfo, the full modulus length. The card
 * does a raw RSA private operation on exactly this block (digest §5 and G8), so the host pads.
 */
export function pkcs1v15SignatureBlock(sha256: Uint8Array, modulusLength: number): Uint8Array {
  if (sha256.length !== SHA256_LENGTH) throw new RangeError(`a SHA-256 digest is ${SHA256_LENGTH} bytes, got ${sha256.length}`);
  const digestInfo = concatBytes(SHA256_DIGEST_INFO_PREFIX, sha256);
  const padLength = modulusLength - digestInfo.length - 3;
  if (padLength < 8) throw new RangeError(`modulus of ${modulusLength} bytes is too short for PKCS#1 v1.5`);
  return concatBytes(Uint8Array.of(0x00, 0x01), new Uint8Array(padLength).fill(0xff), Uint8Array.of(0x00), digestInfo);
}

/**
 * Signs a SHA-256 digest with the key in `slot` through GENERAL AUTHENTICATE 7C{82 00, 81 data}
 * (Part 2 §3.2.4). RSA: the card returns the raw signature, here left-padded to the modulus length.
 * ECDSA: the card takes the hash (left-most field-size bytes, FIPS 186-4 §6.4) and returns
 * DER SEQUENCE{r, s}; `ecdsaDerToJose` converts it. Slots other than 9E need the PIN first;
 * 9C needs it immediately before every signature.
 */
export async function signDigest(
  channel: CardChannel,
  slot: PivSlot,
  algorithm: PivKeyAlgorithm,
  digest: Uint8Array,
): Promise<Uint8Array> {
  const spec = keyAlgorithms[algorithm];
  const input = spec.kind === 'rsa' ? pkcs1v15SignatureBlock(digest, spec.size) : digest.subarray(0, spec.size);
  const items = await generalAuthenticateOk(channel, spec.id, slot, [
    { tag: AuthTag.Response, value: new Uint8Array(0) },
    { tag: AuthTag.Challenge, value: input },
  ]);
  const signature = requireAuthItem(items, AuthTag.Response, slot);
  if (spec.kind === 'ec') return Uint8Array.from(signature);
  if (signature.length > spec.size) throw new CardProtocolError(`an ${algorithm} signature is at most ${spec.size} bytes`);
  const padded = new Uint8Array(spec.size);
  padded.set(signature, spec.size - signature.length);
  return padded;
}

/** DER ECDSA-Sig-Value SEQUENCE{INTEGER r, INTEGER s} -> r||s, each `size` bytes (RFC 7518 §3.4, JOSE). */
export function ecdsaDerToJose(der: Uint8Array, size = 32): Uint8Array {
  const fail = (why: string): never => {
    throw new CardProtocolError(`ECDSA signature is not DER SEQUENCE{r, s}: ${why}`);
  };
  let at = 0;
  const byte = (): number => der[at++] ?? fail('truncated');
  const length = (): number => {
    const first = byte();
    if (first < 0x80) return first;
    if (first === 0x81) return byte();
    return fail('unsupported length');
  };
  if (byte() !== 0x30) fail('no SEQUENCE');
  if (length() !== der.length - at) fail('SEQUENCE length');
  const integer = (): Uint8Array => {
    if (byte() !== 0x02) fail('no INTEGER');
    const n = length();
    if (n === 0 || at + n > der.length) fail('INTEGER length');
    let value = der.subarray(at, at + n);
    at += n;
    while (value.length > 1 && value[0] === 0) value = value.subarray(1);
    if (value.length > size) fail(`INTEGER longer than ${size} bytes`);
    const out = new Uint8Array(size);
    out.set(value, size - value.length);
    return out;
  };
  const r = integer();
  const s = integer();
  if (at !== der.length) fail('trailing bytes');
  return concatBytes(r, s);
}

/** r||s -> DER SEQUENCE{INTEGER r, INTEGER s}: what node:crypto verifies by default. */
export function joseToEcdsaDer(jose: Uint8Array): Uint8Array {
  if (jose.length % 2 !== 0) throw new RangeError('r||s has an even length');
  const half = jose.length / 2;
  const integer = (bytes: Uint8Array): Uint8Array => {
    let v = bytes;
    while (v.length > 1 && v[0] === 0) v = v.subarray(1);
    if ((v[0] ?? 0) & 0x80) v = concatBytes(Uint8Array.of(0), v);
    return concatBytes(Uint8Array.of(0x02, v.length), v);
  };
  const body = concatBytes(integer(jose.subarray(0, half)), integer(jose.subarray(half)));
  const length = body.length < 0x80 ? Uint8Array.of(body.length) : Uint8Array.of(0x81, body.length);
  return concatBytes(Uint8Array.of(0x30), length, body);
}
