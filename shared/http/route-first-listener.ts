import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { ErrorRequestHandler, Express, Request, RequestHandler, Response } from 'express';
import { TesseraError } from '../errors/index.js';
import { runHandlers, type RouteTable } from './route-table.js';

export interface RouteFirstOptions {
  readonly app: Express;
  readonly table: RouteTable;
  /** What every request passes through first (request id, metrics, headers, body), in order: the same functions the app uses. */
  readonly pipeline: readonly RequestHandler[];
  readonly onError: ErrorRequestHandler;
}

/**
 * The HTTP server's request listener. A request for a declared route is looked up once in the
 * route table and run through the pipeline and its route's handlers directly, on express's own
 * request and response objects (see expressObjectClasses); anything else (unknown paths, the
 * 404 answer, a malformed path) goes through the express app, which runs the very same pipeline.
 * express's router would try its middleware and every route one by one for each request.
 */
export function routeFirstListener(options: RouteFirstOptions): RequestListener {
  const { app, table, pipeline, onError } = options;
  return (incoming: IncomingMessage, outgoing: ServerResponse) => {
    let found: ReturnType<RouteTable['lookup']>;
    try {
      found = table.lookup(incoming.method ?? 'GET', incoming.url ?? '/');
    } catch {
      found = undefined; // a malformed path: the express app answers it
    }
    if (!found) {
      app(incoming, outgoing);
      return;
    }
    const req = incoming as Request;
    const res = outgoing as Response;
    req.res = res;
    res.req = req;
    // Already express objects when the server was made with expressObjectClasses (see there); else as express does it.
    if (!app.request.isPrototypeOf(req)) Object.setPrototypeOf(req, app.request);
    if (!app.response.isPrototypeOf(res)) Object.setPrototypeOf(res, app.response);
    res.locals = Object.create(null) as Response['locals'];
    req.params = found.params;
    const fail = (error: unknown) => {
      onError(error, req, res, () => {
        // The error handler only passes on when the answer has begun; end it.
        if (!res.writableEnded) res.end();
      });
    };
    const { handlers } = found;
    runHandlers(pipeline, req, res, (error) => {
      if (error !== undefined) fail(error);
      else runHandlers(handlers, req, res, (late) => fail(late ?? new TesseraError('ERR_NOT_FOUND', `No answer for ${req.method} ${req.path}`)));
    });
  };
}
