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
  return (req: Request, res: Response, next: NextFunction) => {
    const end = duration.startTimer();
    res.on('finish', () => {
      const labels = { method: req.method, route: (res.locals.routeTemplate as string | undefined) ?? 'unmatched', status: String(res.statusCode) };
      requests.inc(labels);
      end(labels);
    });
    next();
  };
}
