import { STAFF_ROLES } from '../roles.js';
import { PASSWORD_MAX_LENGTH } from './password-rules.js';
import { USERNAME_PATTERN } from './staff-accounts.js';

const dateTime = { type: 'string', format: 'date-time' } as const;
const nullableDateTime = { type: ['string', 'null'], format: 'date-time' } as const;

export const roleSchema = { type: 'string', enum: [...STAFF_ROLES], description: 'a staff role; see docs/staff-and-audit.md' } as const;
export const rolesSchema = { type: 'array', items: roleSchema, minItems: 1, uniqueItems: true } as const;
export const usernameSchema = {
  type: 'string',
  pattern: USERNAME_PATTERN,
  description: 'lower-case letters, digits, . _ -; 2 to 64 characters',
  example: 'j.smith',
} as const;
export const displayNameSchema = { type: 'string', minLength: 1, maxLength: 200, pattern: '\\S', example: 'Jo Smith' } as const;
/** The rules beyond length (not the username) are checked by the operation: ERR_STAFF_PASSWORD_RULES. */
export const newPasswordSchema = { type: 'string', minLength: 1, maxLength: PASSWORD_MAX_LENGTH, 'x-sensitive': true } as const;

export const staffIdParams = {
  type: 'object',
  required: ['staffId'],
  additionalProperties: false,
  properties: { staffId: { type: 'string', format: 'uuid' } },
} as const;

export const staffViewSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['id', 'username', 'displayName', 'roles', 'status', 'lockedUntil', 'failedAttempts', 'lastLoginAt', 'passwordChangedAt', 'createdAt', 'updatedAt'],
  properties: {
    id: { type: 'string', format: 'uuid' },
    username: { type: 'string' },
    displayName: { type: 'string' },
    roles: { type: 'array', items: roleSchema },
    status: { type: 'string', enum: ['active', 'disabled'] },
    lockedUntil: { ...nullableDateTime, description: 'set while the account is locked after repeated failed sign-ins' },
    failedAttempts: { type: 'integer', description: 'consecutive failed sign-ins since the last success or lock' },
    lastLoginAt: nullableDateTime,
    passwordChangedAt: dateTime,
    createdAt: dateTime,
    updatedAt: dateTime,
  },
} as const;

/** A staff view plus, once, a generated password. */
export const staffWithPasswordSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['staff'],
  properties: {
    staff: staffViewSchema,
    generatedPassword: { type: 'string', 'x-sensitive': true, description: 'present only when the server generated the password; shown this once' },
  },
} as const;

export const createStaffBody = {
  type: 'object',
  additionalProperties: false,
  required: ['username', 'roles'],
  properties: {
    username: usernameSchema,
    displayName: displayNameSchema,
    roles: rolesSchema,
    password: { ...newPasswordSchema, description: 'omit to have one generated and returned once' },
  },
} as const;

export const updateStaffBody = {
  type: 'object',
  additionalProperties: false,
  minProperties: 1,
  properties: { displayName: displayNameSchema, roles: rolesSchema },
} as const;

export const resetPasswordBody = {
  type: 'object',
  additionalProperties: false,
  properties: { newPassword: { ...newPasswordSchema, description: 'omit to have one generated and returned once' } },
} as const;

export const listStaffQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    status: { type: 'string', enum: ['active', 'disabled'] },
    role: roleSchema,
    after: { type: 'string', description: 'the nextAfter of the previous page' },
    limit: { type: 'integer', minimum: 1, maximum: 500, default: 100 },
  },
} as const;

export const staffPageSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['staff', 'nextAfter'],
  properties: {
    staff: { type: 'array', items: staffViewSchema },
    nextAfter: { type: ['string', 'null'], description: 'pass as `after` for the next page; null on the last page' },
  },
} as const;
