import { READER_KINDS, READER_STATUSES, readerViewSchema } from './reader-record.js';

export const READER_NAME = { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9 ._-]{0,63}$', description: 'unique name, e.g. "town-hall-door-3"' } as const;
export const SITE = { type: 'string', minLength: 1, maxLength: 100 } as const;
export const LOCATION = { type: 'string', maxLength: 200 } as const;
export const MODULE_NAME = { type: ['string', 'null'], pattern: '^[a-z][a-z0-9-]{0,31}$', description: 'the module whose purposes the reader asks for; null for core purposes only' } as const;
/** Printable text without control characters: it is part of the signed bytes (docs/tap-protocol.md). */
export const TARGET = { type: 'string', pattern: '^[^\\u0000-\\u001f\\u007f]{1,128}$', description: 'what the tap is for at this reader: a door, printer, till ...' } as const;
export const NULLABLE_TARGET = { ...TARGET, type: ['string', 'null'] } as const;
export const VERSION_TEXT = { type: 'string', pattern: '^[\\x21-\\x7e]{1,64}$' } as const;

export const readerIdParams = {
  type: 'object',
  additionalProperties: false,
  required: ['readerId'],
  properties: { readerId: { type: 'string', format: 'uuid' } },
} as const;

export const createReaderBody = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'kind', 'site'],
  properties: { name: READER_NAME, kind: { type: 'string', enum: [...READER_KINDS] }, site: SITE, location: LOCATION, module: MODULE_NAME, target: NULLABLE_TARGET },
} as const;

export const updateReaderBody = {
  type: 'object',
  additionalProperties: false,
  minProperties: 1,
  properties: { site: SITE, location: LOCATION, module: MODULE_NAME, target: NULLABLE_TARGET },
} as const;

export const listReadersQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    site: SITE,
    kind: { type: 'string', enum: [...READER_KINDS] },
    status: { type: 'string', enum: [...READER_STATUSES] },
    flagged: { type: 'boolean' },
    online: { type: 'boolean' },
    firmwareVersion: VERSION_TEXT,
    after: READER_NAME,
    limit: { type: 'integer', minimum: 1, maximum: 500, default: 100 },
  },
} as const;

export const readerWithCredentialSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['reader', 'credential'],
  properties: {
    reader: readerViewSchema,
    credential: { type: 'string', description: 'tsr1.<reader id>.<secret>: shown once; install it on the reader' },
  },
} as const;

export const readerPageSchema = {
  type: 'object',
  additionalProperties: false,
  properties: { items: { type: 'array', items: readerViewSchema }, next: { type: ['string', 'null'] } },
} as const;

export const versionSummarySchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    offlineAfterSeconds: { type: 'integer' },
    versions: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        properties: {
          firmwareVersion: { type: ['string', 'null'] },
          configVersion: { type: ['string', 'null'] },
          readers: { type: 'integer' },
          online: { type: 'integer' },
          offline: { type: 'integer' },
          flagged: { type: 'integer' },
        },
      },
    },
  },
} as const;

export const heartbeatBody = {
  type: 'object',
  additionalProperties: false,
  required: ['firmwareVersion', 'configVersion'],
  properties: { firmwareVersion: VERSION_TEXT, configVersion: VERSION_TEXT, agentVersion: VERSION_TEXT },
} as const;
