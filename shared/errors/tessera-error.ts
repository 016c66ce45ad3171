import { errorCatalogue, type ErrorCode } from './catalogue.js';

/**
 * The base of every error a client may see. It carries a stable code (switch on `err.code`),
 * a human detail, and optional facts that become extension members of the problem document
 * (e.g. `{ triesLeft: 2 }` or `{ errors: [...] }`). Never put secrets in either.
 */
export class TesseraError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly extensions: Readonly<Record<string, unknown>>;

  constructor(code: ErrorCode, detail?: string, extensions: Record<string, unknown> = {}, options?: { cause?: unknown }) {
    super(detail ?? errorCatalogue[code].title, options);
    this.name = 'TesseraError';
    this.code = code;
    this.status = errorCatalogue[code].status;
    this.extensions = extensions;
  }
}

export function isTesseraError(value: unknown): value is TesseraError {
  return value instanceof TesseraError;
}
