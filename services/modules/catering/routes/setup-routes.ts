import type { ModuleApi, ModuleContext } from '../../../../shared/modules/index.js';
import { getSchool, priceList } from '../catering-store.js';
import { mealTimesOf, setMealTimes, type MealTimeInput } from '../meal-times.js';
import { createSchool, putItem, putPupil, putTill, setCalendar, updateSchool, type Calendar, type ItemInput, type PupilInput, type SchoolInput } from '../setup.js';
import { anyObject, date, flags, MANAGES, penceSchema, READS, schoolIdParams, staffIdOf, uuid } from './schemas.js';

const schoolFields = {
  name: { type: 'string', minLength: 1, maxLength: 200 },
  pinPolicy: { enum: ['card', 'card+pin'] },
  fsmAllowancePence: penceSchema,
  defaultDailyLimitPence: { anyOf: [penceSchema, { type: 'null' }] },
  lowBalanceThresholdPence: { anyOf: [penceSchema, { type: 'null' }] },
} as const;

/** A wall-clock time HH:MM (24-hour). */
const clock = '^([01][0-9]|2[0-3]):[0-5][0-9]$';

/** Schools, their calendar and price list, tills and pupils: the catering manager's set-up. */
export function mountSetupRoutes(api: ModuleApi, ctx: ModuleContext): void {
  const tags = ['catering'];
  api.route<Record<string, string>, Record<string, unknown>, SchoolInput>({
    method: 'post', path: '/schools', operationId: 'createCateringSchool', summary: 'Add a school with its PIN policy, FSM allowance, default daily limit and default low-balance threshold',
    tags, auth: MANAGES, successStatus: 201,
    body: { type: 'object', additionalProperties: false, required: ['name'], properties: schoolFields },
    responses: { 201: { description: 'the school', schema: anyObject } },
    handler: ({ body, principal }) => createSchool(ctx.knex, body, staffIdOf(principal)),
  });
  api.route<{ schoolId: string }, Record<string, unknown>, Partial<SchoolInput>>({
    method: 'patch', path: '/schools/{schoolId}', operationId: 'updateCateringSchool', summary: "Change a school's name, PIN policy, FSM allowance, default daily limit or default low-balance threshold",
    tags, auth: MANAGES, params: schoolIdParams,
    body: { type: 'object', additionalProperties: false, properties: schoolFields },
    responses: { 200: { description: 'the school', schema: anyObject } },
    handler: ({ params, body, principal }) => updateSchool(ctx.knex, params.schoolId, body, staffIdOf(principal)),
  });
  api.route<{ schoolId: string }>({
    method: 'get', path: '/schools/{schoolId}', operationId: 'getCateringSchool', summary: 'A school with its price list',
    tags, auth: READS, params: schoolIdParams,
    responses: { 200: { description: 'the school and its items', schema: anyObject } },
    handler: async ({ params }) => ({
      ...(await getSchool(ctx.knex, params.schoolId)),
      items: [...(await priceList(ctx.knex, params.schoolId)).values()],
      mealTimes: await mealTimesOf(ctx.knex, params.schoolId),
    }),
  });
  api.route<{ schoolId: string }, Record<string, unknown>, { mealTimes: MealTimeInput[] }>({
    method: 'put', path: '/schools/{schoolId}/meal-times', operationId: 'setCateringMealTimes',
    summary: "Replace the school's meal times (local time): sales only inside them, an optional limit each, FSM money only in those flagged fsm",
    description: 'An empty list removes them: the school then sells at any time and FSM money is spent first everywhere. Times are HH:MM in the organisation time zone, from startsAt (inclusive) to endsAt (exclusive); meal times must not overlap.',
    tags, auth: MANAGES, params: schoolIdParams,
    body: {
      type: 'object', additionalProperties: false, required: ['mealTimes'],
      properties: {
        mealTimes: {
          type: 'array', maxItems: 12,
          items: {
            type: 'object', additionalProperties: false, required: ['name', 'startsAt', 'endsAt'],
            properties: {
              name: { type: 'string', pattern: '^[a-z][a-z0-9-]{0,31}$' },
              startsAt: { type: 'string', pattern: clock },
              endsAt: { type: 'string', pattern: `${clock}|^24:00$` },
              limitPence: { anyOf: [penceSchema, { type: 'null' }] },
              fsm: { type: 'boolean' },
            },
          },
        },
      },
    },
    responses: { 200: { description: 'the meal times as stored', schema: anyObject } },
    handler: async ({ params, body, principal }) => ({ mealTimes: await setMealTimes(ctx.knex, params.schoolId, body.mealTimes, staffIdOf(principal)) }),
  });
  api.route<{ schoolId: string }, Record<string, unknown>, Calendar>({
    method: 'put', path: '/schools/{schoolId}/calendar', operationId: 'setCateringCalendar', summary: "Replace the school's terms and INSET days (school days for the FSM allowance)",
    tags, auth: MANAGES, params: schoolIdParams,
    body: {
      type: 'object', additionalProperties: false, required: ['terms', 'insetDays'],
      properties: {
        terms: { type: 'array', maxItems: 20, items: { type: 'object', additionalProperties: false, required: ['startsOn', 'endsOn'], properties: { startsOn: date, endsOn: date } } },
        insetDays: { type: 'array', maxItems: 100, items: date },
      },
    },
    responses: { 200: { description: 'the calendar as stored', schema: anyObject } },
    handler: ({ params, body, principal }) => setCalendar(ctx.knex, params.schoolId, body, staffIdOf(principal)),
  });
  api.route<{ schoolId: string; code: string }, Record<string, unknown>, ItemInput>({
    method: 'put', path: '/schools/{schoolId}/items/{code}', operationId: 'putCateringItem', summary: "Add or change an item on the school's price list",
    tags, auth: MANAGES,
    params: { type: 'object', additionalProperties: false, required: ['schoolId', 'code'], properties: { schoolId: uuid, code: { type: 'string', pattern: '^[A-Za-z0-9_-]{1,32}$' } } },
    body: {
      type: 'object', additionalProperties: false, required: ['name', 'pricePence'],
      properties: { name: { type: 'string', minLength: 1, maxLength: 200 }, pricePence: penceSchema, allergens: flags, available: { type: 'boolean' } },
    },
    responses: { 200: { description: 'the price list', schema: anyObject } },
    handler: async ({ params, body, principal }) => {
      await putItem(ctx.knex, params.schoolId, params.code, body, staffIdOf(principal));
      return { items: [...(await priceList(ctx.knex, params.schoolId)).values()] };
    },
  });
  api.route<{ readerId: string }, Record<string, unknown>, { schoolId: string; name: string }>({
    method: 'put', path: '/tills/{readerId}', operationId: 'putCateringTill', summary: 'Place a registered reader at a school as a till',
    tags, auth: MANAGES,
    params: { type: 'object', additionalProperties: false, required: ['readerId'], properties: { readerId: { type: 'string', minLength: 1, maxLength: 100 } } },
    body: { type: 'object', additionalProperties: false, required: ['schoolId', 'name'], properties: { schoolId: uuid, name: { type: 'string', minLength: 1, maxLength: 100 } } },
    responses: { 200: { description: 'the till', schema: anyObject } },
    handler: ({ params, body, principal }) => putTill(ctx.knex, params.readerId, body, staffIdOf(principal)),
  });
  api.route<{ cardholderId: string }, Record<string, unknown>, PupilInput>({
    method: 'put', path: '/pupils/{cardholderId}', operationId: 'putCateringPupil', summary: "Register a pupil or change their school, daily limit, low-balance threshold, allergens, dietary flags and FSM eligibility",
    tags, auth: MANAGES,
    params: { type: 'object', additionalProperties: false, required: ['cardholderId'], properties: { cardholderId: uuid } },
    body: {
      type: 'object', additionalProperties: false, required: ['schoolId'],
      properties: { schoolId: uuid, dailyLimitPence: { anyOf: [penceSchema, { type: 'null' }] }, lowBalanceThresholdPence: { anyOf: [penceSchema, { type: 'null' }] }, allergens: flags, dietary: flags, fsmEligible: { type: 'boolean' } },
    },
    responses: { 200: { description: 'the pupil settings', schema: anyObject } },
    handler: ({ params, body, principal }) => putPupil(ctx.knex, params.cardholderId, body, staffIdOf(principal)),
  });
}
