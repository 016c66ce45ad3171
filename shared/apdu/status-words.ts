/**
 * ISO 7816-4 §5.6 status words, named once and shared by the card and the host.
 * SP 800-73-4 Part 2 tables 5–16 list which ones each PIV command may return.
 */
export const SW = {
  OK: 0x9000,
  WARNING_NVM_UNCHANGED: 0x6200,
  MEMORY_FAILURE: 0x6581,
  WRONG_LENGTH: 0x6700,
  LOGICAL_CHANNEL_NOT_SUPPORTED: 0x6881,
  CHAINING_ERROR: 0x6883,
  SECURITY_NOT_SATISFIED: 0x6982,
  AUTH_BLOCKED: 0x6983,
  CONDITIONS_NOT_SATISFIED: 0x6985,
  WRONG_DATA: 0x6a80,
  FUNCTION_NOT_SUPPORTED: 0x6a81,
  FILE_NOT_FOUND: 0x6a82,
  NOT_ENOUGH_MEMORY: 0x6a84,
  INCORRECT_P1P2: 0x6a86,
  REFERENCE_NOT_FOUND: 0x6a88,
  INS_NOT_SUPPORTED: 0x6d00,
  CLA_NOT_SUPPORTED: 0x6e00,
  NO_PRECISE_DIAGNOSIS: 0x6f00,
} as const;

export type StatusWordName = keyof typeof SW;

export const SW_OK = SW.OK;
export const SW_MEMORY_FAILURE = SW.MEMORY_FAILURE;
export const SW_WRONG_LENGTH = SW.WRONG_LENGTH;
export const SW_CHAINING_ERROR = SW.CHAINING_ERROR;
export const SW_SECURITY_NOT_SATISFIED = SW.SECURITY_NOT_SATISFIED;
export const SW_AUTH_BLOCKED = SW.AUTH_BLOCKED;
export const SW_CONDITIONS_NOT_SATISFIED = SW.CONDITIONS_NOT_SATISFIED;
export const SW_WRONG_DATA = SW.WRONG_DATA;
export const SW_FILE_NOT_FOUND = SW.FILE_NOT_FOUND;
export const SW_NOT_ENOUGH_MEMORY = SW.NOT_ENOUGH_MEMORY;
export const SW_INCORRECT_P1P2 = SW.INCORRECT_P1P2;
export const SW_REFERENCE_NOT_FOUND = SW.REFERENCE_NOT_FOUND;
export const SW_INS_NOT_SUPPORTED = SW.INS_NOT_SUPPORTED;
export const SW_CLA_NOT_SUPPORTED = SW.CLA_NOT_SUPPORTED;
export const SW_NO_PRECISE_DIAGNOSIS = SW.NO_PRECISE_DIAGNOSIS;

/** 61xx: more response bytes wait for GET RESPONSE; xx = 00 means 256 or more. */
export function swBytesRemaining(remaining: number): number {
  return 0x6100 | (remaining >= 256 ? 0 : Math.max(0, remaining));
}

/** 63Cx: verification failed, x tries left (ISO 7816-4 §5.6, counter capped at 15). */
export function swTriesLeft(tries: number): number {
  return 0x63c0 | Math.min(15, Math.max(0, tries));
}

export function isBytesRemaining(sw: number): boolean {
  return (sw & 0xff00) === 0x6100;
}

/** Number of bytes announced by a 61xx status word (00 means 256). */
export function bytesRemainingOf(sw: number): number {
  const xx = sw & 0xff;
  return xx === 0 ? 256 : xx;
}

export function isTriesLeft(sw: number): boolean {
  return (sw & 0xfff0) === 0x63c0;
}

export function triesLeftOf(sw: number): number {
  return sw & 0x0f;
}

/** Both normal-processing families: 9000 and 61xx. */
export function isSuccess(sw: number): boolean {
  return sw === SW.OK || isBytesRemaining(sw);
}

const NAMES = new Map<number, StatusWordName>(
  Object.entries(SW).map(([name, value]) => [value, name as StatusWordName]),
);

/** "6982 SECURITY_NOT_SATISFIED", "63C2 TRIES_LEFT(2)" — for logs and error messages. */
export function describeStatusWord(sw: number): string {
  const hex = sw.toString(16).toUpperCase().padStart(4, '0');
  const name = NAMES.get(sw);
  if (name) return `${hex} ${name}`;
  if (isBytesRemaining(sw)) return `${hex} BYTES_REMAINING(${bytesRemainingOf(sw)})`;
  if (isTriesLeft(sw)) return `${hex} TRIES_LEFT(${triesLeftOf(sw)})`;
  return hex;
}

/** Every SW1 the card may emit is in the ISO 7816-4 ranges 61–6F or 90–9F. */
export function isWellFormedStatusWord(sw: number): boolean {
  const sw1 = sw >> 8;
  return Number.isInteger(sw) && sw >= 0 && sw <= 0xffff && ((sw1 >= 0x61 && sw1 <= 0x6f) || (sw1 >= 0x90 && sw1 <= 0x9f));
}
