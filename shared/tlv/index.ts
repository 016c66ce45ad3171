export * from './ber-tlv.js';
export * from './compact-tlv.js';
export { TlvError } from './tlv-error.js';
export type { TlvErrorCode } from './tlv-error.js';
