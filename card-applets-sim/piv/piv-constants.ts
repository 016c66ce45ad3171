/** Identifiers from SP 800-73-4 Part 1 §5.1 / Part 2 §3 and SP 800-78-4 (digest §3–§6). */

/** Full PIV AID (Part 2 §2.2): RID A000000308, PIX 00001000 0100. */
export const PIV_AID = Uint8Array.of(0xa0, 0x00, 0x00, 0x03, 0x08, 0x00, 0x00, 0x10, 0x00, 0x01, 0x00);

export const INS = {
  VERIFY: 0x20,
  CHANGE_REFERENCE_DATA: 0x24,
  RESET_RETRY_COUNTER: 0x2c,
  GENERATE_ASYMMETRIC_KEY_PAIR: 0x47,
  GENERAL_AUTHENTICATE: 0x87,
  GET_DATA: 0xcb,
  PUT_DATA: 0xdb,
  // YubiKey extensions used by libykpiv (digest §6).
  SET_PIN_RETRIES: 0xfa,
  RESET: 0xfb,
  GET_SERIAL: 0xf8,
  GET_VERSION: 0xfd,
  SET_MANAGEMENT_KEY: 0xff,
} as const;

export const KEY_REF = {
  GLOBAL_PIN: 0x00,
  PIV_PIN: 0x80,
  PUK: 0x81,
  CARD_MANAGEMENT: 0x9b,
  PIV_AUTHENTICATION: 0x9a,
  DIGITAL_SIGNATURE: 0x9c,
  KEY_MANAGEMENT: 0x9d,
  CARD_AUTHENTICATION: 0x9e,
} as const;

/** Retired key management slots 82–95. */
export const RETIRED_KEY_REFS: readonly number[] = Array.from({ length: 20 }, (_, i) => 0x82 + i);

export const ASYMMETRIC_KEY_REFS: ReadonlySet<number> = new Set([
  KEY_REF.PIV_AUTHENTICATION,
  KEY_REF.DIGITAL_SIGNATURE,
  KEY_REF.KEY_MANAGEMENT,
  KEY_REF.CARD_AUTHENTICATION,
  ...RETIRED_KEY_REFS,
]);

/** SP 800-78-4 Table 6-2 algorithm identifiers. */
export const ALG = {
  TDEA_DEFAULT: 0x00,
  TDEA_3KEY: 0x03,
  RSA_2048: 0x07,
  AES_128: 0x08,
  AES_192: 0x0a,
  AES_256: 0x0c,
  ECC_P256: 0x11,
} as const;

export type KeyAlgorithm = 'rsa2048' | 'p256';
export type ManagementAlgorithm = '3des' | 'aes128' | 'aes192' | 'aes256';

export const KEY_ALGORITHM_ID: Readonly<Record<KeyAlgorithm, number>> = { rsa2048: ALG.RSA_2048, p256: ALG.ECC_P256 };

export function keyAlgorithmOfId(id: number): KeyAlgorithm | undefined {
  if (id === ALG.RSA_2048) return 'rsa2048';
  if (id === ALG.ECC_P256) return 'p256';
  return undefined;
}

/** Dynamic authentication template tags (Part 2 §3.2.4). */
export const DAT = {
  TEMPLATE: 0x7c,
  WITNESS: 0x80,
  CHALLENGE: 0x81,
  RESPONSE: 0x82,
  EXPONENTIATION: 0x85,
} as const;

export function slotName(keyRef: number): string {
  return keyRef.toString(16).toUpperCase().padStart(2, '0');
}
