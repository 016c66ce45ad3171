import type { NextFunction, Request, RequestHandler, Response } from 'express';
import FindMyWay, { type HTTPMethod } from 'find-my-way';
import { TesseraError } from '../errors/index.js';

interface Entry {
  readonly handlers: readonly RequestHandler[];
}

/**
 * Every declared route of the platform in one radix tree (find-my-way, fastify's router), as one
 * express middleware. express's own router tries each route in turn and sets up each mounted
 * router per request; with a hundred and more routes that walk was the largest single cost of a
 * tap after the signature check (bench:tap). Matching follows express's defaults: paths are
 * case-insensitive (parameters keep their case) and a trailing slash is ignored; a static
 * segment wins over a parameter (`/v1/readers/self` before `/v1/readers/{id}`), and declaring
 * one method and path twice fails at start rather than shadowing silently.
 */
export class RouteTable {
  readonly #tree = FindMyWay({ ignoreTrailingSlash: true, caseSensitive: false });

  /** `path` in OpenAPI form, e.g. `/v1/cards/{cardId}`. */
  add(method: string, path: string, handlers: readonly RequestHandler[]): void {
    const entry: Entry = { handlers };
    this.#tree.on(method.toUpperCase() as HTTPMethod, path.replace(/\{(\w+)\}/g, ':$1'), () => undefined, entry);
  }

  /** The table as one express middleware: a request for a declared route runs its handlers, others pass on. */
  readonly middleware = (req: Request, res: Response, next: NextFunction): void => {
    let found: ReturnType<RouteTable['lookup']>;
    try {
      found = this.lookup(req.method, req.url);
    } catch {
      next(new TesseraError('ERR_VALIDATION', 'The request path is not correctly percent-encoded'));
      return;
    }
    if (!found) {
      next();
      return;
    }
    req.params = found.params;
    runHandlers(found.handlers, req, res, next);
  };

  /** The route for a method and URL (query string allowed), with its decoded path parameters; throws on a malformed path. */
  lookup(method: string, url: string): { handlers: readonly RequestHandler[]; params: Record<string, string> } | undefined {
    // A HEAD request is answered by the GET route, as express does; node's http omits the body.
    const found = this.#tree.find(method as HTTPMethod, url) ?? (method === 'HEAD' ? this.#tree.find('GET', url) : null);
    if (!found) return undefined;
    return { handlers: (found.store as Entry).handlers, params: { ...(found.params as Record<string, string | undefined>) } as Record<string, string> };
  }
}

/**
 * Runs express handlers in order, as a router runs a route's: each calls `next()` to pass on or
 * `next(error)` to stop. `done` hears the first error, or nothing once the last handler passes on.
 */
export function runHandlers(handlers: readonly RequestHandler[], req: Request, res: Response, done: (error?: unknown) => void): void {
  let index = 0;
  const step = (error?: unknown): void => {
    if (error !== undefined && error !== null) {
      done(error);
      return;
    }
    const handler = handlers[index++];
    if (!handler) {
      done();
      return;
    }
    try {
      const result = handler(req, res, step) as unknown;
      if (result instanceof Promise) result.catch(done);
    } catch (thrown) {
      done(thrown);
    }
  };
  step();
}
