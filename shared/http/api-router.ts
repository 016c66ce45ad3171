import express, { type Request, type Response, type NextFunction, type RequestHandler } from 'express';
import { TesseraError } from '../errors/index.js';
import { findOpenObjects, type JsonSchema } from './json-schema.js';
import type { Authenticate, Principal, RouteAuth } from './principal.js';
import { hasJsonContentType } from './media-type.js';
import { RouteTable } from './route-table.js';
import { compileValidator, type Validator } from './validators.js';

export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';

export interface ResponseSpec {
  readonly description: string;
  readonly schema?: JsonSchema;
  /** Defaults to application/json. */
  readonly contentType?: string;
}

export interface RouteInput<P, Q, B> {
  readonly params: P;
  readonly query: Q;
  readonly body: B;
  readonly principal: Principal | undefined;
  readonly req: Request;
  readonly res: Response;
}

export interface RouteSpec<P = Record<string, string>, Q = Record<string, unknown>, B = unknown> {
  readonly method: HttpMethod;
  /** OpenAPI-style path, e.g. `/v1/cards/{cardId}`. */
  readonly path: string;
  readonly operationId: string;
  readonly summary: string;
  readonly description?: string;
  readonly tags?: readonly string[];
  readonly auth: RouteAuth;
  readonly params?: JsonSchema;
  readonly query?: JsonSchema;
  readonly body?: JsonSchema;
  /** Defaults to application/json; `text/csv` routes receive the body as a string. */
  readonly bodyContentType?: 'application/json' | 'text/csv';
  /** Status for a returned value; defaults to 200. */
  readonly successStatus?: number;
  readonly responses: Readonly<Record<number, ResponseSpec>>;
  /**
   * Return a value to send it as JSON with `successStatus`; or write to `res` yourself and
   * return undefined (CSV, DER, redirects).
   */
  readonly handler: (input: RouteInput<P, Q, B>) => unknown;
}

export interface ApiRouterOptions {
  readonly authenticate: Authenticate;
  readonly bodyLimitBytes: number;
  /** The table to add routes to; by default one of its own. The platform gives all its ApiRouters one. */
  readonly table?: RouteTable;
}

/**
 * An express router whose every route declares its schemas and who may call it. The same
 * declarations validate requests (ajv) and build the OpenAPI document, so they cannot drift.
 */
export class ApiRouter {
  readonly routes: RouteSpec<any, any, any>[] = [];
  readonly #options: ApiRouterOptions;
  readonly #table: RouteTable;

  constructor(options: ApiRouterOptions) {
    this.#options = options;
    this.#table = options.table ?? new RouteTable();
  }

  /** The routes as one express middleware (the shared table's, where the table is shared). */
  get router(): RequestHandler {
    return this.#table.middleware;
  }

  route<P = Record<string, string>, Q = Record<string, unknown>, B = unknown>(spec: RouteSpec<P, Q, B>): this {
    for (const part of ['params', 'query', 'body'] as const) {
      const schema = spec[part];
      const open = schema ? findOpenObjects(schema) : [];
      if (open.length > 0) {
        throw new Error(`${spec.operationId}: ${part} schema must set additionalProperties at ${open.join(', ')}`);
      }
    }
    const validate = {
      params: spec.params ? compileValidator('params', spec.params) : undefined,
      query: spec.query ? compileValidator('query', spec.query) : compileValidator('query', { type: 'object', additionalProperties: false }),
      body: spec.body ? compileValidator('body', spec.body) : undefined,
    };
    const handlers: RequestHandler[] = [];
    if (spec.bodyContentType === 'text/csv') {
      handlers.push(express.text({ type: 'text/csv', limit: this.#options.bodyLimitBytes }));
    }
    handlers.push(this.#handle(spec as RouteSpec<any, any, any>, validate));
    this.#table.add(spec.method, spec.path, handlers);
    this.routes.push(spec as RouteSpec<any, any, any>);
    return this;
  }

  #handle(spec: RouteSpec<any, any, any>, validate: { params?: Validator; query: Validator; body?: Validator }) {
    const contentType = spec.bodyContentType ?? 'application/json';
    // Chosen once per route: JSON (nearly every route) by one regular expression, anything else by type-is.
    const bodyTypeMatches = contentType === 'application/json' ? hasJsonContentType : (req: Request) => Boolean(req.is(contentType));
    return async (req: Request, res: Response, next: NextFunction) => {
      res.locals.routeTemplate = spec.path;
      try {
        const principal = spec.auth.kind === 'public' ? undefined : await this.#options.authenticate(req, spec.auth);
        if (validate.body && !bodyTypeMatches(req)) {
          throw new TesseraError('ERR_UNSUPPORTED_MEDIA_TYPE', `The request body must be ${contentType}`);
        }
        // Validate every part before answering, so the client sees all its mistakes at once.
        const failures: TesseraError[] = [];
        const check = (validator: Validator | undefined, value: unknown) => {
          if (!validator) return value;
          try {
            return validator(value);
          } catch (error) {
            if (!(error instanceof TesseraError)) throw error;
            failures.push(error);
            return undefined;
          }
        };
        const params = validate.params ? check(validate.params, { ...req.params }) : req.params;
        const query = check(validate.query, { ...(req.query as Record<string, unknown>) });
        const body = validate.body ? check(validate.body, req.body) : undefined;
        if (!validate.body && hasBody(req)) {
          failures.push(new TesseraError('ERR_VALIDATION', 'body: this operation takes no request body', {
            errors: [{ in: 'body', pointer: '/', message: 'no body expected' }],
          }));
        }
        if (failures.length > 0) throw mergeValidationFailures(failures);
        const result = await spec.handler({ params, query, body, principal, req, res });
        if (!res.headersSent && result !== undefined) sendJson(res, spec.successStatus ?? 200, result);
        else if (!res.headersSent) res.status(spec.successStatus ?? 204).end();
      } catch (error) {
        next(error);
      }
    };
  }
}

/**
 * res.json without express's extras: its ETag is a hash of every body, useless on API answers
 * that are mostly POSTs, and costs a visible share of a tap (bench:tap).
 */
function sendJson(res: Response, status: number, value: unknown): void {
  const body = JSON.stringify(value);
  res.statusCode = status;
  res.setHeader('content-type', 'application/json; charset=utf-8');
  res.setHeader('content-length', Buffer.byteLength(body));
  res.end(body);
}

function mergeValidationFailures(failures: TesseraError[]): TesseraError {
  if (failures.length === 1) return failures[0]!;
  const errors = failures.flatMap((f) => (f.extensions.errors as unknown[] | undefined) ?? []);
  return new TesseraError('ERR_VALIDATION', failures.map((f) => f.message).join('; '), { errors });
}

function hasBody(req: Request): boolean {
  const length = req.headers['content-length'];
  return (length !== undefined && length !== '0') || req.headers['transfer-encoding'] !== undefined;
}
