import type { ModuleApi, ModuleContext } from '../../../../shared/modules/index.js';
import { addHoliday, createSchedule, listSchedules, removeHoliday, scheduleView, type ScheduleInput } from '../groups/schedule-store.js';
import { DATE, ID, MANAGERS, NAME, created, holiday, interval, ok } from './access-schemas.js';

const tags = ['access'];
const holidayParams = { type: 'object', additionalProperties: false, required: ['scheduleId', 'date'], properties: { scheduleId: ID, date: DATE } } as const;

/** Weekly schedules in local wall time, with holiday exceptions. */
export function mountScheduleRoutes(api: ModuleApi, ctx: ModuleContext): void {
  api.route({
    method: 'get', path: '/schedules', operationId: 'accessListSchedules', summary: 'List schedules', tags, auth: MANAGERS, responses: ok('The schedules'),
    handler: async () => ({ schedules: await listSchedules(ctx.knex), timeZone: ctx.timeZone }),
  });
  api.route<Record<string, string>, Record<string, unknown>, ScheduleInput>({
    method: 'post', path: '/schedules', operationId: 'accessCreateSchedule', summary: "Create a weekly schedule (intervals in the organisation's local time)", tags, auth: MANAGERS,
    successStatus: 201, responses: created('The schedule'),
    body: {
      type: 'object', additionalProperties: false, required: ['name', 'intervals'],
      properties: { name: NAME, intervals: { type: 'array', maxItems: 100, items: interval }, holidays: { type: 'array', maxItems: 400, items: holiday } },
    },
    handler: ({ body }) => createSchedule(ctx.knex, body, ctx.now()),
  });
  api.route<{ scheduleId: string }>({
    method: 'get', path: '/schedules/{scheduleId}', operationId: 'accessGetSchedule', summary: 'One schedule', tags, auth: MANAGERS,
    params: { type: 'object', additionalProperties: false, required: ['scheduleId'], properties: { scheduleId: ID } }, responses: ok('The schedule'),
    handler: ({ params }) => scheduleView(ctx.knex, params.scheduleId),
  });
  api.route<{ scheduleId: string; date: string }, Record<string, unknown>, { name?: string }>({
    method: 'put', path: '/schedules/{scheduleId}/holidays/{date}', operationId: 'accessPutHoliday', summary: 'Mark a date as a holiday for a schedule', tags, auth: MANAGERS,
    params: holidayParams, body: { type: 'object', additionalProperties: false, properties: { name: { type: 'string', maxLength: 100 } } }, responses: ok('The schedule'),
    handler: ({ params, body }) => addHoliday(ctx.knex, params.scheduleId, { date: params.date, ...(body?.name !== undefined ? { name: body.name } : {}) }),
  });
  api.route<{ scheduleId: string; date: string }>({
    method: 'delete', path: '/schedules/{scheduleId}/holidays/{date}', operationId: 'accessRemoveHoliday', summary: 'Remove a holiday from a schedule', tags, auth: MANAGERS,
    params: holidayParams, responses: ok('The schedule'),
    handler: ({ params }) => removeHoliday(ctx.knex, params.scheduleId, params.date),
  });
}
