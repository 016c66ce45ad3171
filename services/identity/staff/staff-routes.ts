import { TesseraError } from '../../../shared/errors/index.js';
import type { ApiRouter, Principal } from '../../../shared/http/index.js';
import type { ServiceContext } from '../../../shared/service/index.js';
import type { StaffRole } from '../roles.js';
import { createStaff } from './create-staff.js';
import { resetStaffPassword } from './reset-password.js';
import { findStaffById, listStaff, toStaffView, type StaffStatus } from './staff-accounts.js';
import {
  createStaffBody,
  listStaffQuery,
  resetPasswordBody,
  staffIdParams,
  staffPageSchema,
  staffViewSchema,
  staffWithPasswordSchema,
  updateStaffBody,
} from './staff-schemas.js';
import type { StaffCommandContext } from './staff-input.js';
import { disableStaff, enableStaff } from './staff-status.js';
import { updateStaff } from './update-staff.js';

/** Staff management is the admin's job alone. */
const ADMIN_ONLY = { kind: 'staff', roles: ['admin'] } as const;
const tags = ['staff'];

type StaffIdParams = { staffId: string };

export function mountStaffRoutes(api: ApiRouter, ctx: ServiceContext): ApiRouter {
  const command = (principal: Principal | undefined): StaffCommandContext => ({
    knex: ctx.db.knex,
    actor: { kind: 'staff', id: principal!.id },
    now: ctx.now(),
  });

  api.route<Record<string, string>, Record<string, unknown>, { username: string; displayName?: string; roles: string[]; password?: string }>({
    method: 'post',
    path: '/v1/staff',
    operationId: 'createStaff',
    summary: 'Create a staff account',
    description: 'Without `password`, one is generated and returned once as `generatedPassword`. 409 when the username is taken.',
    tags,
    auth: ADMIN_ONLY,
    body: createStaffBody,
    successStatus: 201,
    responses: { 201: { description: 'created', schema: staffWithPasswordSchema } },
    handler: ({ body, principal }) => createStaff(command(principal), body),
  });

  api.route<Record<string, string>, { status?: StaffStatus; role?: StaffRole; after?: string; limit: number }>({
    method: 'get',
    path: '/v1/staff',
    operationId: 'listStaff',
    summary: 'List staff accounts by username',
    tags,
    auth: ADMIN_ONLY,
    query: listStaffQuery,
    responses: { 200: { description: 'one page of staff accounts', schema: staffPageSchema } },
    handler: async ({ query }) => {
      const now = ctx.now();
      const page = await listStaff(ctx.db.knex, { status: query.status, role: query.role, afterUsername: query.after, limit: query.limit });
      return { staff: page.rows.map((row) => toStaffView(row, now)), nextAfter: page.nextAfter };
    },
  });

  api.route<StaffIdParams>({
    method: 'get',
    path: '/v1/staff/{staffId}',
    operationId: 'getStaff',
    summary: 'One staff account',
    tags,
    auth: ADMIN_ONLY,
    params: staffIdParams,
    responses: { 200: { description: 'the account', schema: staffViewSchema } },
    handler: async ({ params }) => {
      const row = await findStaffById(ctx.db.knex, params.staffId);
      if (!row) throw new TesseraError('ERR_STAFF_NOT_FOUND', `No staff account ${params.staffId}`);
      return toStaffView(row, ctx.now());
    },
  });

  api.route<StaffIdParams, Record<string, unknown>, { displayName?: string; roles?: string[] }>({
    method: 'patch',
    path: '/v1/staff/{staffId}',
    operationId: 'updateStaff',
    summary: 'Change display name and/or roles',
    description: 'Role changes apply to the next request of every live session. Removing admin from the last active admin is refused (409).',
    tags,
    auth: ADMIN_ONLY,
    params: staffIdParams,
    body: updateStaffBody,
    responses: { 200: { description: 'the updated account', schema: staffViewSchema } },
    handler: ({ params, body, principal }) => updateStaff(command(principal), params.staffId, body),
  });

  api.route<StaffIdParams>({
    method: 'post',
    path: '/v1/staff/{staffId}/disable',
    operationId: 'disableStaff',
    summary: 'Disable an account and end its sessions',
    description: 'Refused (409) for your own account and for the last active admin. Idempotent.',
    tags,
    auth: ADMIN_ONLY,
    params: staffIdParams,
    responses: { 200: { description: 'the disabled account', schema: staffViewSchema } },
    handler: ({ params, principal }) => disableStaff(command(principal), params.staffId),
  });

  api.route<StaffIdParams>({
    method: 'post',
    path: '/v1/staff/{staffId}/enable',
    operationId: 'enableStaff',
    summary: 'Enable an account and clear any sign-in lockout',
    tags,
    auth: ADMIN_ONLY,
    params: staffIdParams,
    responses: { 200: { description: 'the enabled account', schema: staffViewSchema } },
    handler: ({ params, principal }) => enableStaff(command(principal), params.staffId),
  });

  api.route<StaffIdParams, Record<string, unknown>, { newPassword?: string }>({
    method: 'post',
    path: '/v1/staff/{staffId}/password',
    operationId: 'resetStaffPassword',
    summary: "Reset someone's password (admin)",
    description: 'Ends all their sessions and clears any lockout. Without `newPassword`, one is generated and returned once. Staff change their own password with POST /v1/sessions/current/password.',
    tags,
    auth: ADMIN_ONLY,
    params: staffIdParams,
    body: resetPasswordBody,
    responses: { 200: { description: 'the account', schema: staffWithPasswordSchema } },
    handler: ({ params, body, principal }) => resetStaffPassword(command(principal), params.staffId, body.newPassword),
  });
  return api;
}
