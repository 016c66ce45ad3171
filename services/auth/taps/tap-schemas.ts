const BASE64 = '^[A-Za-z0-9+/]*={0,2}$';

export const PURPOSE = { type: 'string', pattern: '^[a-z][a-z0-9-]*(\\.[a-z][a-z0-9-]*)+$', maxLength: 64 } as const;
export const TARGET = { type: 'string', pattern: '^[^\\u0000-\\u001f\\u007f]{1,128}$' } as const;

export const challengeBody = {
  type: 'object',
  additionalProperties: false,
  required: ['purpose'],
  properties: { purpose: PURPOSE, target: { ...TARGET, description: "defaults to the reader's registered target, else its name" } },
} as const;

export const challengeSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    id: { type: 'string', format: 'uuid' },
    challenge: { type: 'string', description: '32 random bytes, base64' },
    expiresAt: { type: 'string', format: 'date-time' },
    readerId: { type: 'string', format: 'uuid' },
    purpose: { type: 'string' },
    target: { type: 'string' },
    minimumAssurance: { type: 'string', enum: ['card', 'card+pin'] },
    slot: { type: 'string', enum: ['9A', '9E'] },
    maxPayloadBytes: { type: 'integer' },
    encodingVersion: { type: 'integer' },
  },
} as const;

/**
 * The answer. Field sizes are bounded by the schema (a certificate of 12 KiB, a signature of
 * 1 KiB; exactly one of certificate and certificateRef, checked by the route); the payload is bounded by the purpose, so an oversized one becomes a recorded
 * `denied: payload_too_large` rather than a bare 400 (up to the body limit, then 413).
 */
export const responseBody = {
  type: 'object',
  additionalProperties: false,
  required: ['signature'],
  properties: {
    certificate: { type: 'string', pattern: BASE64, minLength: 4, maxLength: 16_384, description: 'the card certificate, DER in base64' },
    certificateRef: { type: 'string', pattern: '^[0-9a-f]{64}$', description: 'or the SHA-256 of a certificate the platform issued (hex)' },
    signature: { type: 'string', pattern: BASE64, minLength: 4, maxLength: 1_400, description: 'the card signature over SHA-256 of the canonical encoding, base64' },
    payload: { type: 'string', pattern: BASE64, maxLength: 700_000, description: 'the payload bytes the card signed over, base64' },
  },
} as const;

export const tapIdParams = {
  type: 'object',
  additionalProperties: false,
  required: ['tapId'],
  properties: { tapId: { type: 'string', format: 'uuid' } },
} as const;

export const listTapsQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    readerId: { type: 'string', format: 'uuid' },
    cardholderId: { type: 'string', format: 'uuid' },
    before: { type: 'string', format: 'date-time' },
    limit: { type: 'integer', minimum: 1, maximum: 500, default: 50 },
  },
} as const;

const tapRecordSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    id: { type: 'string' },
    readerId: { type: 'string' },
    purpose: { type: 'string' },
    target: { type: 'string' },
    createdAt: { type: 'string', format: 'date-time' },
    expiresAt: { type: 'string', format: 'date-time' },
    consumedAt: { type: ['string', 'null'], format: 'date-time' },
    decision: { type: ['string', 'null'] },
    reason: { type: ['string', 'null'] },
    assurance: { type: ['string', 'null'] },
    cardId: { type: ['string', 'null'] },
    cardholderId: { type: ['string', 'null'] },
    issuer: { type: ['string', 'null'] },
    module: { type: ['string', 'null'] },
  },
} as const;

export const tapPageSchema = {
  type: 'object',
  additionalProperties: false,
  properties: { items: { type: 'array', items: tapRecordSchema }, next: { type: ['string', 'null'] } },
} as const;
