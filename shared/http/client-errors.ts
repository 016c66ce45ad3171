import { STATUS_CODES, type Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { errorCatalogue, problemTypeFor, type ErrorCode } from '../errors/index.js';
import { PROBLEM_CONTENT_TYPE } from './problem.js';

/**
 * Requests node:http refuses before the app sees them: a request line and headers over its
 * 16 KiB limit, bytes that are not HTTP/1.1, a client too slow to finish its headers. Node
 * answers those itself with a bare status line and no body; every other refusal of ours is
 * problem+json (RFC 9457), so a reader's or a script's error handling meets one format.
 */
const codeFor = (error: NodeJS.ErrnoException): ErrorCode => {
  if (error.code === 'HPE_HEADER_OVERFLOW') return 'ERR_HEADERS_TOO_LARGE';
  if (error.code === 'ERR_HTTP_REQUEST_TIMEOUT') return 'ERR_REQUEST_TIMEOUT';
  return 'ERR_MALFORMED_REQUEST';
};

/** The raw HTTP/1.1 answer for a client error: problem+json, and the connection closed (the parser cannot resync). */
export function clientErrorResponse(error: NodeJS.ErrnoException): string {
  const code = codeFor(error);
  const { status, title } = errorCatalogue[code];
  const body = JSON.stringify({ type: problemTypeFor(code), title, status, detail: title, code });
  return [
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Error'}`,
    `Content-Type: ${PROBLEM_CONTENT_TYPE}`,
    `Content-Length: ${Buffer.byteLength(body)}`,
    'Connection: close',
    '',
    body,
  ].join('\r\n');
}

/** Replaces node's bare answers to unparseable requests with problem+json. */
export function answerClientErrorsWithProblems(server: Server): Server {
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
    // A reset or half-gone socket has no one to answer (node's own handler does the same).
    if (error.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    socket.end(clientErrorResponse(error));
  });
  return server;
}
