import type { NextFunction, Request, Response } from 'express';
import { Counter, Histogram, type Registry } from 'prom-client';

/**
 * Request counts and latency by route template (never the raw URL, which would explode the
 * label set) and status code.
 */
export function httpMetrics(registry: Registry) {
  const requests = new Counter({
    name: 'tessera_http_requests_total',
    help: 'HTTP requests by method, route template and status',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'tessera_http_request_duration_seconds',
    help: 'HTTP request latency by method, route template and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  // prom-client hashes the label values on every call; the label sets are few (route templates),
  // so each one's children are looked up once and kept.
  const children = new Map<string, { count: { inc(): void }; observe: { observe(seconds: number): void } }>();
  const childrenFor = (method: string, route: string, status: string) => {
    const key = `${method} ${status} ${route}`;
    let found = children.get(key);
    if (!found) {
      found = { count: requests.labels(method, route, status), observe: duration.labels(method, route, status) };
      children.set(key, found);
    }
    return found;
  };
  return (req: Request, res: Response, next: NextFunction) => {
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const { count, observe } = childrenFor(req.method, (res.locals.routeTemplate as string | undefined) ?? 'unmatched', String(res.statusCode));
      count.inc();
      observe.observe(Number(process.hrtime.bigint() - started) / 1e9);
    });
    next();
  };
}
