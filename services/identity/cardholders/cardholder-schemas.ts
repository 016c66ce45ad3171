/** JSON Schemas of the cardholder API; the same objects validate requests and document them in OpenAPI. */

export const CARDHOLDER_KINDS = ['staff', 'pupil', 'resident', 'care_recipient', 'visitor'] as const;
export type CardholderKind = (typeof CARDHOLDER_KINDS)[number];

const name = { type: 'string', minLength: 1, maxLength: 100, pattern: '\\S' } as const;
const optionalText = (maxLength: number, description: string) => ({ type: ['string', 'null'], maxLength, description }) as const;

export const photoSchema = {
  type: 'object',
  description: 'a passport-style photo for the desk and the till',
  required: ['contentType', 'data'],
  properties: {
    contentType: { type: 'string', enum: ['image/jpeg', 'image/png'] },
    data: { type: 'string', contentEncoding: 'base64', maxLength: 349_526, description: 'base64, at most 256 KiB decoded' },
  },
  additionalProperties: false,
} as const;

const editableProperties = {
  givenName: name,
  familyName: name,
  kind: { type: 'string', enum: CARDHOLDER_KINDS },
  orgUnit: optionalText(200, 'department, school or team'),
  staffNumber: optionalText(40, 'payroll or HR number'),
  pupilUpn: { type: ['string', 'null'], pattern: '^[A-Z][0-9]{11}[0-9A-Z]$', description: 'unique pupil number (13 characters)' },
  libraryNumber: optionalText(40, 'library membership number'),
  email: { type: ['string', 'null'], format: 'email', maxLength: 254 },
  dateOfBirth: { type: ['string', 'null'], format: 'date' },
  photo: { oneOf: [photoSchema, { type: 'null' }] },
} as const;

export const createCardholderSchema = {
  type: 'object',
  required: ['givenName', 'familyName', 'kind'],
  properties: editableProperties,
  additionalProperties: false,
} as const;

export const updateCardholderSchema = {
  type: 'object',
  minProperties: 1,
  properties: editableProperties,
  additionalProperties: false,
} as const;

export const cardholderIdParams = {
  type: 'object',
  required: ['cardholderId'],
  properties: { cardholderId: { type: 'string', format: 'uuid' } },
  additionalProperties: false,
} as const;

export const searchCardholdersQuery = {
  type: 'object',
  properties: {
    q: { type: 'string', minLength: 1, maxLength: 100, description: 'part of a name, or an exact reference / staff number / UPN / library number' },
    kind: { type: 'string', enum: CARDHOLDER_KINDS },
    orgUnit: { type: 'string', maxLength: 200 },
    limit: { type: 'integer', minimum: 1, maximum: 200, default: 50 },
    after: { type: 'string', maxLength: 40, description: 'the reference of the last row of the previous page' },
  },
  additionalProperties: false,
} as const;

export const cardholderResponseSchema = {
  type: 'object',
  properties: {
    id: { type: 'string', format: 'uuid' },
    reference: { type: 'string' },
    givenName: { type: 'string' },
    familyName: { type: 'string' },
    kind: { type: 'string' },
    orgUnit: { type: ['string', 'null'] },
    staffNumber: { type: ['string', 'null'] },
    pupilUpn: { type: ['string', 'null'] },
    libraryNumber: { type: ['string', 'null'] },
    email: { type: ['string', 'null'] },
    dateOfBirth: { type: ['string', 'null'] },
    hasPhoto: { type: 'boolean' },
    status: { type: 'string', enum: ['active', 'erased'] },
    createdAt: { type: 'string', format: 'date-time' },
    updatedAt: { type: 'string', format: 'date-time' },
  },
} as const;

export interface CardholderInput {
  givenName?: string;
  familyName?: string;
  kind?: CardholderKind;
  orgUnit?: string | null;
  staffNumber?: string | null;
  pupilUpn?: string | null;
  libraryNumber?: string | null;
  email?: string | null;
  dateOfBirth?: string | null;
  photo?: { contentType: 'image/jpeg' | 'image/png'; data: string } | null;
}
