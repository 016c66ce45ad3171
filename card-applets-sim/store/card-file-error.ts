export type CardFileErrorCode = 'ERR_CARD_FILE_INVALID' | 'ERR_CARD_FILE_EXISTS' | 'ERR_CARD_FILE_UNREADABLE';

/** A card file that cannot be created, read or understood. */
export class CardFileError extends Error {
  readonly code: CardFileErrorCode;
  readonly path: string;

  constructor(code: CardFileErrorCode, path: string, message: string, options?: { cause?: unknown }) {
    super(`${path}: ${message}`, options);
    this.name = 'CardFileError';
    this.code = code;
    this.path = path;
  }
}
