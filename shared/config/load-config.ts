import { Ajv } from 'ajv';
import { configSchema, type ConfigVariable } from './schema.js';

export interface Config {
  port: number;
  host: string;
  databaseUrl: string | undefined;
  dataDir: string;
  migrate: 'auto' | 'skip';
  seedDemo: boolean;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  bodyLimitBytes: number;
  shutdownGraceMs: number;
  dbPoolMax: number;
  timeZone: string;
  orgName: string;
  kek: string | undefined;
  adminUsername: string | undefined;
  adminPassword: string | undefined;
  staffLockoutAttempts: number;
  staffLockoutSeconds: number;
  staffSessionSeconds: number;
  /** Base URL without a trailing slash; defaults to http://localhost:<port>. */
  publicUrl: string;
  /** Tap modules switched off (TESSERA_DISABLED_MODULES). */
  disabledModules: string[];
  tapChallengeSeconds: number;
  tapTokenSeconds: number;
  /** Days a tap record is kept before `tessera taps purge` deletes it (TESSERA_TAP_RETENTION_DAYS). */
  tapRetentionDays: number;
  /** Local time (TESSERA_TIMEZONE) of the daily tap purge, or 'off' (TESSERA_TAP_PURGE_AT). */
  tapPurgeAt: TimeOfDay | 'off';
  readerRatePerSecond: number;
  cardTapsPerMinute: number;
  readerOfflineSeconds: number;
  /** TESSERA_DESK_READERS as given; undefined when unset (services/identity/issuance picks the default). */
  deskReaders: string | undefined;
  renewalWindowDays: number;
  /** Budget loads above this many pence need a second finance approver (TESSERA_BUDGET_APPROVAL_THRESHOLD_PENCE). */
  budgetApprovalThresholdPence: number;
}

/** A wall-clock time, hour 0 to 23 and minute 0 to 59. */
export interface TimeOfDay {
  readonly hour: number;
  readonly minute: number;
}

/** Raised with every bad variable at once, so an operator fixes them in one go. */
export class ConfigError extends Error {
  readonly problems: readonly { variable: string; expects: string; got: string | undefined }[];
  constructor(problems: ConfigError['problems']) {
    const lines = problems.map((p) => `  ${p.variable}: expected ${p.expects}${describeGot(p.variable, p.got)}`);
    super(`Invalid configuration:\n${lines.join('\n')}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

/** Values that may hold credentials are never echoed back, not even in an error. */
const secretVariables = new Set(['DATABASE_URL', 'TESSERA_KEK', 'TESSERA_ADMIN_PASSWORD']);

function describeGot(variable: string, got: string | undefined): string {
  if (got === undefined) return '';
  return secretVariables.has(variable) ? ' (value hidden)' : ` (got ${JSON.stringify(got)})`;
}

function isIanaTimeZone(value: string): boolean {
  try {
    new Intl.DateTimeFormat('en-GB', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

const ajv = new Ajv({ allErrors: true, coerceTypes: true, useDefaults: true, strict: true });
ajv.addFormat('iana-time-zone', { type: 'string', validate: isIanaTimeZone });
const validateEnv = ajv.compile(configSchema);

/** Reads and validates the environment. Empty strings count as unset. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const names = Object.keys(configSchema.properties) as ConfigVariable[];
  const raw: Record<string, unknown> = {};
  for (const name of names) {
    const value = env[name];
    if (value !== undefined && value !== '') raw[name] = value;
  }
  if (!validateEnv(raw)) {
    const bad = new Map<string, { variable: string; expects: string; got: string | undefined }>();
    for (const error of validateEnv.errors ?? []) {
      const variable = error.instancePath.replace(/^\//, '');
      const spec = configSchema.properties[variable as ConfigVariable];
      if (spec && !bad.has(variable)) bad.set(variable, { variable, expects: spec.description, got: env[variable] });
    }
    throw new ConfigError([...bad.values()]);
  }
  const v = raw as Record<ConfigVariable, never>;
  const databaseUrl = v.DATABASE_URL as string | undefined;
  const seed = v.TESSERA_SEED_DEMO as 'auto' | 'true' | 'false';
  return {
    port: v.PORT,
    host: v.HOST,
    databaseUrl,
    dataDir: v.TESSERA_DATA_DIR,
    migrate: v.TESSERA_MIGRATE,
    seedDemo: seed === 'true' || (seed === 'auto' && databaseUrl === undefined),
    logLevel: v.LOG_LEVEL,
    bodyLimitBytes: v.TESSERA_BODY_LIMIT_BYTES,
    shutdownGraceMs: v.TESSERA_SHUTDOWN_GRACE_MS,
    dbPoolMax: v.TESSERA_DB_POOL_MAX,
    timeZone: v.TESSERA_TIMEZONE,
    orgName: v.TESSERA_ORG_NAME,
    kek: v.TESSERA_KEK as string | undefined,
    adminUsername: v.TESSERA_ADMIN_USERNAME as string | undefined,
    adminPassword: v.TESSERA_ADMIN_PASSWORD as string | undefined,
    staffLockoutAttempts: v.TESSERA_STAFF_LOCKOUT_ATTEMPTS,
    staffLockoutSeconds: v.TESSERA_STAFF_LOCKOUT_SECONDS,
    staffSessionSeconds: v.TESSERA_STAFF_SESSION_SECONDS,
    publicUrl: ((v.TESSERA_PUBLIC_URL as string | undefined) ?? `http://localhost:${v.PORT}`).replace(/\/+$/, ''),
    disabledModules: ((v.TESSERA_DISABLED_MODULES as string | undefined) ?? '').split(',').map((s) => s.trim()).filter(Boolean),
    tapChallengeSeconds: v.TESSERA_TAP_CHALLENGE_SECONDS,
    tapTokenSeconds: v.TESSERA_TAP_TOKEN_SECONDS,
    tapRetentionDays: v.TESSERA_TAP_RETENTION_DAYS,
    tapPurgeAt: timeOfDayOrOff(v.TESSERA_TAP_PURGE_AT),
    readerRatePerSecond: v.TESSERA_READER_RATE_PER_SECOND,
    cardTapsPerMinute: v.TESSERA_CARD_TAPS_PER_MINUTE,
    readerOfflineSeconds: v.TESSERA_READER_OFFLINE_SECONDS,
    deskReaders: v.TESSERA_DESK_READERS as string | undefined,
    renewalWindowDays: v.TESSERA_RENEWAL_WINDOW_DAYS,
    budgetApprovalThresholdPence: v.TESSERA_BUDGET_APPROVAL_THRESHOLD_PENCE,
  };
}

/** 'HH:MM' (the schema has checked the shape) as hour and minute; 'off' as it is. */
function timeOfDayOrOff(value: string): TimeOfDay | 'off' {
  if (value === 'off') return 'off';
  const [hour, minute] = value.split(':').map(Number) as [number, number];
  return { hour, minute };
}
