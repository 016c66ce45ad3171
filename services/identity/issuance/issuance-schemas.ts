import { cardResponseSchema } from '../cards/index.js';

/** JSON Schemas of the desk's card routes; the same objects validate and document them. */

const deskReader = { type: 'string', minLength: 1, maxLength: 200, description: 'the desk reader the card is in (GET /v1/desk-readers)' } as const;
const pin = (description: string) =>
  ({ type: 'string', minLength: 1, maxLength: 16, description: `${description}: 6 to 8 digits, not one digit repeated, not a sequence (never stored)` }) as const;
const algorithm = { type: 'string', enum: ['rsa2048', 'p256'], default: 'p256', description: 'key algorithm generated on the card for 9A and 9E' } as const;
const expiresAt = { type: 'string', format: 'date-time', description: "the card's expiry; default and maximum by cardholder kind (docs/issuance.md)" } as const;
const activate = { type: 'boolean', default: false, description: 'activate at once (hand-over at the desk) instead of leaving the card issued' } as const;

export const uuidParams = (name: string) =>
  ({ type: 'object', required: [name], properties: { [name]: { type: 'string', format: 'uuid' } }, additionalProperties: false }) as const;

export const issueCardBody = {
  type: 'object',
  required: ['deskReader', 'pin'],
  properties: { deskReader, pin: pin('the PIN the cardholder chose'), algorithm, expiresAt, activate },
  additionalProperties: false,
} as const;

export const temporaryCardBody = {
  type: 'object',
  required: ['deskReader', 'pin'],
  properties: { deskReader, pin: pin('the PIN for the temporary card'), algorithm },
  additionalProperties: false,
} as const;

export const replaceCardBody = {
  type: 'object',
  required: ['reason', 'deskReader', 'pin'],
  properties: {
    reason: { type: 'string', enum: ['lost', 'stolen', 'damaged'], description: 'why the old card goes; lost and stolen revoke its certificates as keyCompromise' },
    deskReader,
    pin: pin('the PIN for the new card'),
    algorithm,
    expiresAt,
    activate,
  },
  additionalProperties: false,
} as const;

export const renewCardBody = {
  type: 'object',
  required: ['deskReader', 'pin'],
  properties: { deskReader, pin: pin('the PIN for the new card'), algorithm, expiresAt, activate },
  additionalProperties: false,
} as const;

export const changePinBody = {
  type: 'object',
  required: ['deskReader', 'currentPin', 'newPin'],
  properties: { deskReader, currentPin: { type: 'string', minLength: 1, maxLength: 16 }, newPin: pin('the new PIN') },
  additionalProperties: false,
} as const;

export const unblockPinBody = {
  type: 'object',
  required: ['deskReader', 'newPin'],
  properties: { deskReader, newPin: pin('the new PIN') },
  additionalProperties: false,
} as const;

export const issuedCardResponseSchema = {
  type: 'object',
  properties: {
    ...cardResponseSchema.properties,
    certificates: {
      type: 'array',
      items: { type: 'object', properties: { slot: { type: 'string', enum: ['9A', '9E'] }, serial: { type: 'string' } } },
    },
    resumed: { type: 'boolean', description: 'this request continued an issuance started earlier on the same card' },
  },
} as const;

export interface IssueBody {
  deskReader: string;
  pin: string;
  algorithm: 'rsa2048' | 'p256';
  expiresAt?: string;
  activate: boolean;
}

export interface ReplaceBody extends IssueBody {
  reason: 'lost' | 'stolen' | 'damaged';
}
