import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

/** What the tap path counts, on the platform's one registry (GET /metrics). */
export interface AuthMetrics {
  readonly taps: Counter<'purpose' | 'decision' | 'reason'>;
  readonly tapSeconds: Histogram<'decision'>;
  readonly moduleFailures: Counter<'module' | 'kind'>;
  readonly readerThrottled: Counter;
  readonly readersFlagged: Counter;
  readonly rejections: Counter<'reason'>;
  /** Tap retention (docs/tap-protocol.md, Retention): scheduled and on-demand purges alike. */
  readonly tapPurgeLastSuccess: Gauge;
  readonly tapPurgeDeleted: Counter;
  readonly tapPurgeFailures: Counter;
}

export function authMetrics(registry: Registry): AuthMetrics {
  const existing = registry.getSingleMetric('tessera_taps_total');
  if (existing) return (registry as unknown as { [key: symbol]: AuthMetrics })[METRICS]!;
  const metrics: AuthMetrics = {
    taps: new Counter({ name: 'tessera_taps_total', help: 'Tap decisions by purpose, decision and reason', labelNames: ['purpose', 'decision', 'reason'], registers: [registry] }),
    tapSeconds: new Histogram({
      name: 'tessera_tap_response_seconds',
      help: 'Time to verify and decide one tap response',
      labelNames: ['decision'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
      registers: [registry],
    }),
    moduleFailures: new Counter({
      name: 'tessera_module_failures_total',
      help: 'Module decisions that threw, ran out of time or were refused for overload (denied: module_unavailable)',
      labelNames: ['module', 'kind'],
      registers: [registry],
    }),
    readerThrottled: new Counter({ name: 'tessera_reader_throttled_total', help: 'Reader requests refused by the per-reader rate limit', registers: [registry] }),
    readersFlagged: new Counter({ name: 'tessera_readers_flagged_total', help: 'Readers this process flagged for misbehaviour', registers: [registry] }),
    rejections: new Counter({
      name: 'tessera_tap_rejections_total',
      help: 'Tap responses refused before a decision could be recorded on the tap (replays, other readers\' challenges, unknown taps)',
      labelNames: ['reason'],
      registers: [registry],
    }),
    tapPurgeLastSuccess: new Gauge({
      name: 'tessera_tap_purge_last_success_timestamp_seconds',
      help: 'When this process last finished a tap purge (Unix seconds); 0 until it has',
      registers: [registry],
    }),
    tapPurgeDeleted: new Counter({ name: 'tessera_tap_purge_deleted_total', help: 'Tap records deleted by purges this process ran', registers: [registry] }),
    tapPurgeFailures: new Counter({ name: 'tessera_tap_purge_failures_total', help: 'Tap purges this process started that failed (the scheduled one tries again at its next time)', registers: [registry] }),
  };
  (registry as unknown as { [key: symbol]: AuthMetrics })[METRICS] = metrics;
  return metrics;
}

const METRICS = Symbol('tessera.auth.metrics');
