import { accountKinds } from '../../../shared/ledger/index.js';

/** JSON Schemas of the ledger API (2020-12; the same objects validate requests and build /openapi.json). */

const uuid = { type: 'string', format: 'uuid' } as const;
const nullableText = { type: ['string', 'null'], minLength: 1, maxLength: 200 } as const;
/** Minor units (pence): JavaScript numbers are exact only up to 2^53 − 1. */
const pence = { type: 'integer', minimum: 1, maximum: Number.MAX_SAFE_INTEGER, description: 'integer minor units (pence), at least 1' } as const;
const signedPence = { type: 'integer', minimum: -Number.MAX_SAFE_INTEGER, maximum: Number.MAX_SAFE_INTEGER } as const;
const currency = { type: 'string', pattern: '^[A-Z]{3}$', description: 'ISO 4217, e.g. GBP' } as const;
const metadata = {
  type: ['object', 'null'],
  maxProperties: 32,
  additionalProperties: { anyOf: [{ type: 'string', maxLength: 500 }, { type: 'number' }, { type: 'boolean' }, { type: 'null' }] },
  description: 'flat facts about the movement (e.g. a CSV row number); at most 4 KiB',
} as const;

export const accountIdParams = {
  type: 'object',
  required: ['accountId'],
  properties: { accountId: uuid },
  additionalProperties: false,
} as const;

export const transferIdParams = {
  type: 'object',
  required: ['transferId'],
  properties: { transferId: uuid },
  additionalProperties: false,
} as const;

export const openAccountBody = {
  type: 'object',
  required: ['kind'],
  properties: {
    kind: { type: 'string', enum: accountKinds },
    currency,
    floor: {
      type: ['integer', 'null'],
      maximum: 0,
      minimum: -Number.MAX_SAFE_INTEGER,
      description: 'lowest allowed balance in pence (at most 0); null = no floor; defaults by kind',
    },
    label: nullableText,
    ownerRef: { ...nullableText, description: 'who the account belongs to, e.g. a cardholder id' },
  },
  additionalProperties: false,
} as const;

export const accountSchema = {
  type: 'object',
  required: ['id', 'kind', 'currency', 'floor', 'balance', 'label', 'ownerRef', 'createdAt'],
  properties: {
    id: uuid,
    kind: { type: 'string', enum: accountKinds },
    currency,
    floor: { type: ['integer', 'null'] },
    balance: { ...signedPence, description: 'credits minus debits, in pence' },
    label: { type: ['string', 'null'] },
    ownerRef: { type: ['string', 'null'] },
    createdAt: { type: 'string', format: 'date-time' },
  },
  additionalProperties: false,
} as const;

export const statementQuery = {
  type: 'object',
  properties: {
    after: { type: 'string', pattern: '^[0-9]{1,18}$', description: 'nextCursor of the previous page' },
    limit: { type: 'integer', minimum: 1, maximum: 1000, default: 100 },
  },
  additionalProperties: false,
} as const;

export const statementSchema = {
  type: 'object',
  required: ['account', 'lines', 'nextCursor'],
  properties: {
    account: accountSchema,
    lines: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          entryId: { type: 'string' },
          transferId: uuid,
          amount: { ...signedPence, description: '< 0 out of the account, > 0 into it' },
          balanceAfter: signedPence,
          counterpartyAccountId: uuid,
          reason: { type: 'string' },
          module: { type: 'string' },
          tapId: { type: ['string', 'null'] },
          staffId: { type: ['string', 'null'] },
          reversesTransferId: { type: ['string', 'null'] },
          createdAt: { type: 'string', format: 'date-time' },
        },
        additionalProperties: false,
      },
    },
    nextCursor: { type: ['string', 'null'] },
  },
  additionalProperties: false,
} as const;

export const transferBody = {
  type: 'object',
  required: ['debitAccountId', 'creditAccountId', 'amount', 'currency', 'reason'],
  properties: {
    debitAccountId: uuid,
    creditAccountId: uuid,
    amount: pence,
    currency,
    reason: { type: 'string', minLength: 1, maxLength: 500 },
    tapId: nullableText,
    metadata,
  },
  additionalProperties: false,
} as const;

export const reversalBody = {
  type: 'object',
  required: ['reason'],
  properties: {
    amount: { ...pence, description: 'pence to reverse; defaults to the whole original amount' },
    reason: { type: 'string', minLength: 1, maxLength: 500 },
    metadata,
  },
  additionalProperties: false,
} as const;

const transferSchema = {
  type: 'object',
  properties: {
    id: uuid,
    debitAccountId: uuid,
    creditAccountId: uuid,
    amount: pence,
    currency,
    reason: { type: 'string' },
    module: { type: 'string' },
    tapId: { type: ['string', 'null'] },
    staffId: { type: ['string', 'null'] },
    reversesTransferId: { type: ['string', 'null'] },
    metadata: { type: ['object', 'null'] },
    createdAt: { type: 'string', format: 'date-time' },
    reversedAmount: { type: 'integer', description: 'sum of the reversals recorded against it (GET only)' },
  },
  additionalProperties: false,
} as const;

export const transferRecordSchema = transferSchema;

export const transferResultSchema = {
  type: 'object',
  required: ['transfer', 'debitBalanceAfter', 'creditBalanceAfter'],
  properties: { transfer: transferSchema, debitBalanceAfter: signedPence, creditBalanceAfter: signedPence },
  additionalProperties: false,
} as const;
