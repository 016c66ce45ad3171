/** JSON Schemas shared by the access routes (every object closed: additionalProperties false). */
export const ID = { type: 'string', format: 'uuid' } as const;
export const NAME = { type: 'string', minLength: 1, maxLength: 100 } as const;
/** A calendar date, not only its shape: 2023-02-30 would reach the database's date type and fail there. */
export const DATE = { type: 'string', format: 'date', description: 'a local date, YYYY-MM-DD' } as const;
export const INSTANT = { type: ['string', 'null'], format: 'date-time' } as const;
export const TIME = { type: 'string', pattern: '^([01]\\d|2[0-3]):[0-5]\\d$|^24:00$', description: 'local wall time HH:MM (24:00 = end of day)' } as const;
export const ANTI_PASSBACK = { type: 'string', enum: ['off', 'soft', 'hard'] } as const;
export const DIRECTION = { type: 'string', enum: ['entry', 'exit'] } as const;
export const DAY = { type: 'string', enum: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun', 'holiday'] } as const;

export const MANAGERS = { kind: 'staff', roles: ['access-manager'] } as const;
/** Alarms are for the people watching the doors: access managers and platform admins. */
export const OPERATORS = { kind: 'staff', roles: ['access-manager', 'admin'] } as const;

export const idParams = (...names: string[]) =>
  ({
    type: 'object',
    additionalProperties: false,
    required: names,
    properties: Object.fromEntries(names.map((n) => [n, ID])),
  }) as const;

export const doorReader = {
  type: 'object',
  additionalProperties: false,
  required: ['readerId', 'direction'],
  properties: { readerId: ID, direction: DIRECTION },
} as const;

export const interval = {
  type: 'object',
  additionalProperties: false,
  required: ['day', 'start', 'end'],
  properties: { day: DAY, start: TIME, end: TIME },
} as const;

export const holiday = {
  type: 'object',
  additionalProperties: false,
  required: ['date'],
  properties: { date: DATE, name: { type: 'string', maxLength: 100 } },
} as const;

export const ok = (description: string) => ({ 200: { description } });
export const created = (description: string) => ({ 201: { description } });
