import type { NextFunction, Request, Response } from 'express';
import helmet, { type HelmetOptions } from 'helmet';

type HeaderAction = { readonly set: string; readonly value: string } | { readonly remove: string };

/**
 * helmet's headers, worked out once. helmet runs a dozen middlewares per request to set headers
 * that depend only on its options, which cost a measurable share of a tap (bench:tap); so it is
 * run once against a recording response and the recorded headers are replayed on every response.
 */
export function securityHeaders(options: Readonly<HelmetOptions>) {
  const actions: HeaderAction[] = [];
  const recorder = {
    setHeader: (name: string, value: string | number | readonly string[]) => {
      actions.push({ set: name, value: Array.isArray(value) ? value.join(', ') : String(value) });
    },
    removeHeader: (name: string) => {
      actions.push({ remove: name });
    },
  };
  let finished = false;
  helmet(options)({} as never, recorder as never, (error?: unknown) => {
    if (error) throw error;
    finished = true;
  });
  // helmet's middleware is synchronous; if a future version is not, replaying would miss headers.
  if (!finished) throw new Error('helmet did not finish synchronously; the security headers cannot be precomputed');
  return (_req: Request, res: Response, next: NextFunction) => {
    for (const action of actions) {
      if ('set' in action) res.setHeader(action.set, action.value);
      else res.removeHeader(action.remove);
    }
    next();
  };
}
