import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import type { Logger } from '../logging/index.js';
import type { Principal } from './principal.js';

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      /** The request id: the caller's x-request-id if well formed, else a new UUID. */
      id: string;
      log: Logger;
      principal?: Principal;
    }
  }
}

const acceptableRequestId = /^[A-Za-z0-9._:-]{1,128}$/;

/** Gives every request an id (echoed in x-request-id) and a child logger carrying it; logs one line when done. */
export function requestContext(logger: Logger) {
  return (req: Request, res: Response, next: NextFunction) => {
    const incoming = req.headers['x-request-id'];
    req.id = typeof incoming === 'string' && acceptableRequestId.test(incoming) ? incoming : randomUUID();
    req.log = logger.child({ requestId: req.id });
    res.setHeader('x-request-id', req.id);
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      const route = (res.locals.routeTemplate as string | undefined) ?? 'unmatched';
      const line = { method: req.method, route, status: res.statusCode, ms: Math.round(ms * 10) / 10 };
      if (res.statusCode >= 500) req.log.error(line, 'request');
      else req.log.info(line, 'request');
    });
    next();
  };
}
