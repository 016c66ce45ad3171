export type TlvErrorCode =
  | 'ERR_TLV_TRUNCATED'
  | 'ERR_TLV_BAD_TAG'
  | 'ERR_TLV_BAD_LENGTH'
  | 'ERR_TLV_TRAILING_BYTES'
  | 'ERR_TLV_VALUE_TOO_LONG';

/** Malformed BER-TLV or compact-TLV input. `offset` is where decoding stopped. */
export class TlvError extends Error {
  readonly code: TlvErrorCode;
  readonly offset: number;

  constructor(code: TlvErrorCode, message: string, offset: number) {
    super(`${message} (at offset ${offset})`);
    this.name = 'TlvError';
    this.code = code;
    this.offset = offset;
  }
}
