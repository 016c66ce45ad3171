import type { ErrorDefinitions } from '../define-errors.js';

/** Errors of the HTTP layer itself: what any client can get wrong before a service sees the request. */
export const httpErrors = {
  ERR_VALIDATION: { status: 400, title: 'The request does not match its schema' },
  ERR_MALFORMED_JSON: { status: 400, title: 'The request body is not valid JSON' },
  ERR_UNSUPPORTED_MEDIA_TYPE: { status: 415, title: 'The request body must be application/json' },
  ERR_PAYLOAD_TOO_LARGE: { status: 413, title: 'The request body is larger than allowed' },
  ERR_MALFORMED_REQUEST: { status: 400, title: 'The request is not valid HTTP/1.1' },
  ERR_HEADERS_TOO_LARGE: { status: 431, title: 'The request line and headers are larger than allowed' },
  ERR_REQUEST_TIMEOUT: { status: 408, title: 'The request did not arrive in time' },
  ERR_NOT_FOUND: { status: 404, title: 'No such resource' },
  ERR_METHOD_NOT_ALLOWED: { status: 405, title: 'Method not allowed on this resource' },
  ERR_UNAUTHENTICATED: { status: 401, title: 'Authentication is required' },
  ERR_FORBIDDEN: { status: 403, title: 'Your role does not allow this' },
  ERR_CONFLICT: { status: 409, title: 'The request conflicts with the current state' },
  ERR_RATE_LIMITED: { status: 429, title: 'Too many requests' },
  ERR_SERVICE_UNAVAILABLE: { status: 503, title: 'A dependency is unavailable' },
  ERR_SHUTTING_DOWN: { status: 503, title: 'The server is shutting down' },
  ERR_INTERNAL: { status: 500, title: 'Internal error' },
} as const satisfies ErrorDefinitions;
