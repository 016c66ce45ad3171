export * from './status-words.js';
export * from './command-apdu.js';
export * from './response-apdu.js';
export { ApduFormatError } from './apdu-format-error.js';
export type { ApduFormatErrorCode } from './apdu-format-error.js';
export { toHex, fromHex } from './hex.js';
