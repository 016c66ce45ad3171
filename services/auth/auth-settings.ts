import type { Config } from '../../shared/config/index.js';

/** The auth service's tunables, from configuration (docs/configuration.md) with fixed parts beside them. */
export interface AuthSettings {
  readonly challengeSeconds: number;
  readonly tokenSeconds: number;
  readonly readerRatePerSecond: number;
  readonly readerBurst: number;
  readonly cardTapsPerMinute: number;
  readonly cardBurst: number;
  readonly offlineAfterSeconds: number;
  /** What a reader is told to use between heartbeats: a quarter of the offline threshold. */
  readonly heartbeatSeconds: number;
  /** Largest tap payload in bytes (after base64 decoding) unless a purpose allows less. */
  readonly maxPayloadBytes: number;
  /** Time a module's decide() gets unless its purpose says otherwise. */
  readonly moduleTimeBudgetMs: number;
  /** Concurrent decisions one module may have in flight before further taps are refused. */
  readonly moduleConcurrency: number;
  /** Strikes in a minute that flag a reader. */
  readonly strikeLimit: number;
  readonly disabledModules: readonly string[];
  /** Issuer (`iss`) of decision tokens: the platform's public URL. */
  readonly issuer: string;
}

export function authSettingsFrom(config: Config, overrides: Partial<AuthSettings> = {}): AuthSettings {
  return {
    challengeSeconds: config.tapChallengeSeconds,
    tokenSeconds: config.tapTokenSeconds,
    readerRatePerSecond: config.readerRatePerSecond,
    readerBurst: config.readerRatePerSecond * 2,
    cardTapsPerMinute: config.cardTapsPerMinute,
    cardBurst: Math.max(5, Math.ceil(config.cardTapsPerMinute / 6)),
    offlineAfterSeconds: config.readerOfflineSeconds,
    heartbeatSeconds: Math.max(5, Math.floor(config.readerOfflineSeconds / 4)),
    maxPayloadBytes: 8192,
    moduleTimeBudgetMs: 500,
    moduleConcurrency: 256,
    strikeLimit: 30,
    disabledModules: config.disabledModules,
    issuer: config.publicUrl,
    ...overrides,
  };
}
