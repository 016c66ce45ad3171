/**
 * Every environment variable Tessera reads, as one JSON Schema. `description` is what the
 * variable expects; it is what an operator sees when the value is wrong, and what
 * docs/configuration.md lists (a test keeps the two in step).
 */
export const configSchema = {
  type: 'object',
  additionalProperties: true,
  properties: {
    PORT: { type: 'integer', minimum: 1, maximum: 65535, default: 8080, description: 'TCP port for HTTP, an integer from 1 to 65535' },
    HOST: { type: 'string', minLength: 1, default: '0.0.0.0', description: 'address to listen on, e.g. 127.0.0.1 or 0.0.0.0' },
    DATABASE_URL: {
      type: 'string',
      pattern: '^postgres(ql)?://',
      description: 'PostgreSQL connection URL (postgres://user:pass@host:5432/db); unset for the embedded database',
    },
    TESSERA_DATA_DIR: { type: 'string', minLength: 1, default: './data', description: 'folder for the embedded database and local state' },
    TESSERA_MIGRATE: { type: 'string', enum: ['auto', 'skip'], default: 'auto', description: "'auto' runs pending migrations at start, 'skip' does not" },
    TESSERA_SEED_DEMO: {
      type: 'string',
      enum: ['auto', 'true', 'false'],
      default: 'auto',
      description: "'true' seeds demo data once, 'false' never; 'auto' seeds only on the embedded database",
    },
    LOG_LEVEL: {
      type: 'string',
      enum: ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'],
      default: 'info',
      description: 'one of fatal, error, warn, info, debug, trace, silent',
    },
    TESSERA_BODY_LIMIT_BYTES: {
      type: 'integer',
      minimum: 1024,
      maximum: 67108864,
      default: 1048576,
      description: 'largest accepted request body in bytes, from 1024 to 67108864',
    },
    TESSERA_SHUTDOWN_GRACE_MS: {
      type: 'integer',
      minimum: 0,
      maximum: 600000,
      default: 10000,
      description: 'milliseconds in-flight requests get to finish on SIGTERM/SIGINT, 0 to 600000',
    },
    TESSERA_DB_POOL_MAX: { type: 'integer', minimum: 1, maximum: 500, default: 10, description: 'PostgreSQL pool size, 1 to 500' },
    TESSERA_TIMEZONE: {
      type: 'string',
      default: 'Europe/London',
      format: 'iana-time-zone',
      description: "the organisation's IANA time zone, e.g. Europe/London",
    },
    TESSERA_ORG_NAME: { type: 'string', minLength: 1, maxLength: 200, default: 'Demo Council', description: 'organisation name shown in the UI and certificates' },
    TESSERA_KEK: {
      type: 'string',
      pattern: '^[A-Za-z0-9+/]{43}=$',
      description: 'key-encryption key for secrets at rest: 32 bytes in base64 (openssl rand -base64 32); unset on the embedded database to keep a generated one under TESSERA_DATA_DIR',
    },
    TESSERA_ADMIN_USERNAME: {
      type: 'string',
      pattern: '^[a-z0-9][a-z0-9._-]{1,63}$',
      description: 'username of the first admin, created at start only when no admin account exists (lowercase letters, digits, . _ -; 2 to 64 characters)',
    },
    TESSERA_ADMIN_PASSWORD: {
      type: 'string',
      minLength: 12,
      maxLength: 1024,
      description: 'password of the first admin (TESSERA_ADMIN_USERNAME), at least 12 characters; never logged. Change it after the first sign-in',
    },
    TESSERA_STAFF_LOCKOUT_ATTEMPTS: {
      type: 'integer',
      minimum: 1,
      maximum: 100,
      default: 5,
      description: 'consecutive failed sign-ins that lock a staff account, 1 to 100',
    },
    TESSERA_STAFF_LOCKOUT_SECONDS: {
      type: 'integer',
      minimum: 1,
      maximum: 86400,
      default: 900,
      description: 'how long a locked staff account stays locked, in seconds (1 to 86400)',
    },
    TESSERA_STAFF_SESSION_SECONDS: {
      type: 'integer',
      minimum: 60,
      maximum: 86400,
      default: 900,
      description: 'lifetime of a staff session token in seconds, 60 to 86400',
    },
    TESSERA_PUBLIC_URL: {
      type: 'string',
      pattern: '^https?://[^/?#]+(/[^?#]*)?$',
      description:
        "the base URL people and readers use to reach this platform, e.g. https://cards.example.gov.uk (no query); certificates point their CRL distribution point at <it>/v1/pki/crl. Unset: http://localhost:<PORT>",
    },
    TESSERA_DESK_READERS: {
      type: 'string',
      pattern: '^\\s*(sim|pcsc):[^,]+(,\\s*(sim|pcsc):[^,]+)*\\s*$',
      description:
        "the card desks' readers, comma-separated: 'sim:<desk>' for a desk with simulated blank-card stock, 'pcsc:<PC/SC reader name>' for a real or vpcd reader, 'pcsc:*' for any PC/SC reader; unset: 'sim:Demo desk' on the embedded database, none with DATABASE_URL",
    },
    TESSERA_RENEWAL_WINDOW_DAYS: {
      type: 'integer',
      minimum: 1,
      maximum: 366,
      default: 90,
      description: 'how many days before its expiry a card may be renewed at the desk, 1 to 366',
    },
    TESSERA_DISABLED_MODULES: {
      type: 'string',
      pattern: '^\\s*[a-z][a-z0-9-]*(\\s*,\\s*[a-z][a-z0-9-]*)*\\s*$',
      description: "tap modules to switch off, comma-separated module names (e.g. 'catering,print'); their purposes are then denied with module_disabled. Unset: every installed module runs",
    },
    TESSERA_TAP_CHALLENGE_SECONDS: {
      type: 'integer',
      minimum: 5,
      maximum: 600,
      default: 30,
      description: 'how long a tap challenge may be answered, in seconds (5 to 600)',
    },
    TESSERA_TAP_TOKEN_SECONDS: {
      type: 'integer',
      minimum: 10,
      maximum: 3600,
      default: 60,
      description: 'lifetime of the signed decision token of a tap, in seconds (10 to 3600)',
    },
    TESSERA_TAP_RETENTION_DAYS: {
      type: 'integer',
      minimum: 30,
      maximum: 36500,
      default: 400,
      description: 'how many days tap records are kept before the daily purge (or `tessera taps purge`) deletes them, 30 to 36500 (at least 30, so a slip cannot wipe last month)',
    },
    TESSERA_TAP_PURGE_AT: {
      type: 'string',
      pattern: '^(off|([01][0-9]|2[0-3]):[0-5][0-9])$',
      default: '03:30',
      description: "the time of day the platform deletes tap records older than TESSERA_TAP_RETENTION_DAYS, as HH:MM (24-hour, 00:00 to 23:59) in TESSERA_TIMEZONE, e.g. 03:30; 'off' for no scheduled purge",
    },
    TESSERA_READER_RATE_PER_SECOND: {
      type: 'integer',
      minimum: 1,
      maximum: 100000,
      default: 20,
      description: 'requests per second one reader may make to the tap API before it is throttled (1 to 100000); bursts of twice that pass',
    },
    TESSERA_CARD_TAPS_PER_MINUTE: {
      type: 'integer',
      minimum: 1,
      maximum: 1000000,
      default: 30,
      description: 'taps per minute one card may make before further taps are denied with rate_limited (1 to 1000000)',
    },
    TESSERA_READER_OFFLINE_SECONDS: {
      type: 'integer',
      minimum: 10,
      maximum: 86400,
      default: 120,
      description: 'a reader whose last heartbeat is older than this many seconds is shown as offline (10 to 86400)',
    },
    TESSERA_BUDGET_APPROVAL_THRESHOLD_PENCE: {
      type: 'integer',
      minimum: 0,
      maximum: 100000000000,
      default: 500000,
      description: 'devolved budget loads above this many pence need a second finance approver (0 to 100000000000; default 500000 = £5,000)',
    },
  },
} as const;

export type ConfigVariable = keyof typeof configSchema.properties;
