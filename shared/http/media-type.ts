import type { IncomingMessage } from 'node:http';

/** `application/json` or `application/<anything>+json`, parameters (charset) allowed, any case. */
const JSON_MEDIA_TYPE = /^\s*application\/(?:[a-z0-9!#$&^_.-]+\+)?json\s*(?:;|$)/i;

/**
 * Whether a request says its body is JSON: the same answer as type-is for the two patterns the
 * platform accepts (application/json, application/*+json), with one regular expression instead of
 * a media-type parse, since it runs twice for every request with a body (body parser, route).
 */
export function hasJsonContentType(req: IncomingMessage): boolean {
  const type = req.headers['content-type'];
  return type !== undefined && JSON_MEDIA_TYPE.test(type);
}
