import { IncomingMessage, ServerResponse, type ServerOptions } from 'node:http';
import type { Express } from 'express';

export interface ExpressObjectClasses {
  /** For node:http's createServer: every request and response is made with these classes. */
  readonly serverOptions: ServerOptions;
  /** From now on, the requests and responses are `app`'s own express objects. */
  adopt(app: Express): void;
}

/**
 * express turns node's request and response into its own by swapping each object's prototype
 * (Object.setPrototypeOf) per request. V8 then treats both objects as unpredictable for the rest
 * of their life, and node's own HTTP code that touches them slows down with them: measured here,
 * the swap alone tripled a bare server's CPU per request (96 to 208 µs), the largest cost of the
 * platform's HTTP stack. Instead the server makes its requests and responses from subclasses
 * whose prototype is the app's (set once, on the class), so they are express objects from birth.
 * `adopt` may come after the server is listening (the platform answers "starting" first).
 */
export function expressObjectClasses(): ExpressObjectClasses {
  class PlatformRequest extends IncomingMessage {}
  class PlatformResponse extends ServerResponse {}
  return {
    serverOptions: { IncomingMessage: PlatformRequest, ServerResponse: PlatformResponse as unknown as typeof ServerResponse },
    adopt(app) {
      Object.setPrototypeOf(PlatformRequest.prototype, app.request);
      Object.setPrototypeOf(PlatformResponse.prototype, app.response);
    },
  };
}
