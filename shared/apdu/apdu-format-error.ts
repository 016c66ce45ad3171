export type ApduFormatErrorCode =
  | 'ERR_APDU_TOO_SHORT'
  | 'ERR_APDU_LENGTH_MISMATCH'
  | 'ERR_APDU_FIELD_RANGE';

/** A byte string that is not a well-formed APDU (ISO 7816-4 §5.1). Carries a stable code. */
export class ApduFormatError extends Error {
  readonly code: ApduFormatErrorCode;

  constructor(code: ApduFormatErrorCode, message: string) {
    super(message);
    this.name = 'ApduFormatError';
    this.code = code;
  }
}
