import { createCipheriv, createDecipheriv, randomBytes, timingSafeEqual } from 'node:crypto';
import type { CardChannel } from '../card/card-channel.js';
import { managementKeyAlgorithms, type ManagementKeyAlgorithm } from './algorithms.js';
import { SW_OK, SW_SECURITY_NOT_SATISFIED } from '../apdu/index.js';
import { concatBytes } from '../tlv/index.js';
import { Ins, KeyReference } from './constants.js';
import { CardProtocolError, ManagementAuthMismatchError, ManagementKeyRejectedError } from './errors.js';
import { AuthTag, generalAuthenticate, generalAuthenticateOk, requireAuthItem } from './general-authenticate.js';
import { errorForStatus } from './status-errors.js';
import { transactOk } from './transport.js';

const EMPTY = new Uint8Array(0);

/**
 * Mutual authentication with the card management key 9B (SP 800-73-4 Part 2 Appendix A.1;
 * digest §5). The card proves it holds the key by encrypting our challenge; we prove it by
 * decrypting its witness. Afterwards PUT DATA, GENERATE and SET MANAGEMENT KEY are allowed.
 */
export async function authenticateManagementKey(
  channel: CardChannel,
  key: Uint8Array,
  algorithm: ManagementKeyAlgorithm = '3DES',
): Promise<void> {
  const spec = checkKey(key, algorithm);
  // 1. The card draws a witness W and sends it encrypted under its key.
  const first = await generalAuthenticateOk(channel, spec.id, KeyReference.ManagementKey, [{ tag: AuthTag.Witness, value: EMPTY }]);
  const encryptedWitness = requireAuthItem(first, AuthTag.Witness, KeyReference.ManagementKey);
  if (encryptedWitness.length !== spec.blockLength) {
    throw new CardProtocolError(`GENERAL AUTHENTICATE 9B: a ${algorithm} witness is ${spec.blockLength} bytes, got ${encryptedWitness.length}`);
  }
  const witness = blockCipher('decrypt', algorithm, key, encryptedWitness);
  // 2. We return W in clear (proving our key) with our own challenge C.
  const challenge = new Uint8Array(randomBytes(spec.blockLength));
  const second = await generalAuthenticate(channel, spec.id, KeyReference.ManagementKey, [
    { tag: AuthTag.Witness, value: witness },
    { tag: AuthTag.Challenge, value: challenge },
  ]);
  if (second.sw === SW_SECURITY_NOT_SATISFIED) throw new ManagementKeyRejectedError(second.sw);
  if (second.sw !== SW_OK) throw errorForStatus(second.sw, 'GENERAL AUTHENTICATE 9B');
  // 3. The card's E_K(C) must match ours: otherwise it is not the card we hold the key for.
  const response = requireAuthItem(second.items, AuthTag.Response, KeyReference.ManagementKey);
  const expected = blockCipher('encrypt', algorithm, key, challenge);
  if (response.length !== expected.length || !timingSafeEqual(response, expected)) throw new ManagementAuthMismatchError();
}

/**
 * SET MANAGEMENT KEY (YubiKey extension INS FF; digest §6): `00 FF FF FF|FE Lc alg 9B len key`.
 * Needs a prior successful authenticateManagementKey.
 */
export async function setManagementKey(
  channel: CardChannel,
  key: Uint8Array,
  algorithm: ManagementKeyAlgorithm = '3DES',
  options: { requireTouch?: boolean } = {},
): Promise<void> {
  const spec = checkKey(key, algorithm);
  const data = concatBytes(Uint8Array.of(spec.id, KeyReference.ManagementKey, key.length), key);
  const p2 = options.requireTouch ? 0xfe : 0xff;
  await transactOk(channel, { name: 'SET MANAGEMENT KEY', ins: Ins.SetManagementKey, p1: 0xff, p2, data });
}

/** One ECB block operation, no padding (digest G8). */
export function blockCipher(
  direction: 'encrypt' | 'decrypt',
  algorithm: ManagementKeyAlgorithm,
  key: Uint8Array,
  block: Uint8Array,
): Uint8Array {
  const { cipher } = managementKeyAlgorithms[algorithm];
  const engine = direction === 'encrypt' ? createCipheriv(cipher, key, null) : createDecipheriv(cipher, key, null);
  engine.setAutoPadding(false);
  return new Uint8Array(Buffer.concat([engine.update(block), engine.final()]));
}

function checkKey(key: Uint8Array, algorithm: ManagementKeyAlgorithm) {
  const spec = managementKeyAlgorithms[algorithm];
  if (key.length !== spec.keyLength) {
    throw new RangeError(`A ${algorithm} management key is ${spec.keyLength} bytes, got ${key.length}`);
  }
  return spec;
}
