import type { NextFunction, Request, Response } from 'express';
import { TesseraError, errorCatalogue, isTesseraError, problemTypeFor, type ErrorCode } from '../errors/index.js';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** The RFC 9457 document every error response carries. */
export const problemSchema = {
  type: 'object',
  required: ['type', 'title', 'status'],
  properties: {
    type: { type: 'string', description: 'stable URN per error kind, e.g. urn:tessera:problem:validation' },
    title: { type: 'string' },
    status: { type: 'integer' },
    detail: { type: 'string' },
    instance: { type: 'string', description: 'the request id' },
    code: { type: 'string', description: 'the catalogue code, e.g. ERR_VALIDATION' },
  },
  additionalProperties: true,
} as const;

export function sendProblem(res: Response, error: TesseraError, requestId: string | undefined): void {
  const definition = errorCatalogue[error.code];
  res
    .status(error.status)
    .type(PROBLEM_CONTENT_TYPE)
    .send(
      JSON.stringify({
        ...error.extensions,
        type: problemTypeFor(error.code),
        title: definition.title,
        status: error.status,
        detail: error.message,
        code: error.code,
        ...(requestId ? { instance: `urn:tessera:request:${requestId}` } : {}),
      }),
    );
}

/** body-parser reports its failures as errors with a `type`; each is the client's fault, not ours. */
const bodyParserErrors: Record<string, ErrorCode> = {
  'entity.parse.failed': 'ERR_MALFORMED_JSON',
  'entity.too.large': 'ERR_PAYLOAD_TOO_LARGE',
  'encoding.unsupported': 'ERR_UNSUPPORTED_MEDIA_TYPE',
  'charset.unsupported': 'ERR_UNSUPPORTED_MEDIA_TYPE',
  'request.aborted': 'ERR_VALIDATION',
  'request.size.invalid': 'ERR_VALIDATION',
  'stream.encoding.set': 'ERR_INTERNAL',
};

export function toTesseraError(error: unknown): TesseraError {
  if (isTesseraError(error)) return error;
  const type = (error as { type?: unknown } | null)?.type;
  if (typeof type === 'string' && type in bodyParserErrors) {
    const code = bodyParserErrors[type]!;
    return new TesseraError(code, code === 'ERR_MALFORMED_JSON' ? 'The request body is not valid JSON' : undefined);
  }
  return new TesseraError('ERR_INTERNAL', 'An unexpected error occurred; it has been logged with the request id', {}, { cause: error });
}

/** The last error handler: anything a client can send gets a 4xx; a 500 is always our bug and is logged. */
export function problemHandler(error: unknown, req: Request, res: Response, next: NextFunction): void {
  if (res.headersSent) {
    next(error);
    return;
  }
  const problem = toTesseraError(error);
  if (problem.code === 'ERR_INTERNAL') req.log?.error({ err: error }, 'request failed');
  else if (problem.status >= 500) req.log?.warn({ code: problem.code }, problem.message);
  else req.log?.debug({ code: problem.code }, problem.message);
  sendProblem(res, problem, req.id);
}
