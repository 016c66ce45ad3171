import { TesseraError } from '../../../shared/errors/index.js';
import type { ApiRouter } from '../../../shared/http/index.js';
import type { ServiceContext } from '../../../shared/service/index.js';
import { ANY_STAFF_ROLE } from '../roles.js';
import { findStaffById, toStaffView } from '../staff/staff-accounts.js';
import { newPasswordSchema, staffViewSchema } from '../staff/staff-schemas.js';
import { changeOwnPassword } from './change-own-password.js';
import { sessionRuntimeFor } from './session-runtime.js';
import { signIn } from './sign-in.js';
import { signOut } from './sign-out.js';
import { currentSession } from './staff-authenticator.js';

const OWN_SESSION = { kind: 'staff', roles: ANY_STAFF_ROLE } as const;
const tags = ['sessions'];

const signInBody = {
  type: 'object',
  additionalProperties: false,
  required: ['username', 'password'],
  properties: {
    username: { type: 'string', minLength: 1, maxLength: 256 },
    password: { type: 'string', minLength: 1, maxLength: 1024, 'x-sensitive': true },
  },
} as const;

const sessionSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['sessionId', 'issuedAt', 'expiresAt'],
  properties: {
    sessionId: { type: 'string', format: 'uuid' },
    issuedAt: { type: 'string', format: 'date-time' },
    expiresAt: { type: 'string', format: 'date-time' },
  },
} as const;

const signedInSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['token', 'tokenType', 'expiresAt', 'staff'],
  properties: {
    token: { type: 'string', 'x-sensitive': true, description: 'send as Authorization: Bearer <token>' },
    tokenType: { type: 'string', const: 'Bearer' },
    expiresAt: { type: 'string', format: 'date-time' },
    staff: staffViewSchema,
  },
} as const;

const changePasswordBody = {
  type: 'object',
  additionalProperties: false,
  required: ['currentPassword', 'newPassword'],
  properties: { currentPassword: { type: 'string', minLength: 1, maxLength: 1024, 'x-sensitive': true }, newPassword: newPasswordSchema },
} as const;

export function mountSessionRoutes(api: ApiRouter, ctx: ServiceContext): ApiRouter {
  const rt = sessionRuntimeFor(ctx);

  api.route<Record<string, string>, Record<string, unknown>, { username: string; password: string }>({
    method: 'post',
    path: '/v1/sessions',
    operationId: 'signIn',
    summary: 'Sign in: exchange username and password for a short-lived session token',
    description:
      'Any failure (unknown user, wrong password, locked or disabled account) is the same 401 ERR_INVALID_CREDENTIALS. ' +
      'Repeated failures lock the account for a while (TESSERA_STAFF_LOCKOUT_ATTEMPTS, TESSERA_STAFF_LOCKOUT_SECONDS).',
    tags,
    auth: { kind: 'public' },
    body: signInBody,
    successStatus: 201,
    responses: { 201: { description: 'signed in', schema: signedInSchema } },
    handler: async ({ body, req }) => {
      const signedIn = await signIn(rt, { username: body.username, password: body.password, ip: req.ip });
      return { token: signedIn.token, tokenType: 'Bearer', expiresAt: signedIn.expiresAt.toISOString(), staff: signedIn.staff };
    },
  });

  api.route({
    method: 'get',
    path: '/v1/sessions/current',
    operationId: 'getCurrentSession',
    summary: 'Who am I: the signed-in staff member and the session',
    tags,
    auth: OWN_SESSION,
    responses: {
      200: {
        description: 'the caller',
        schema: { type: 'object', additionalProperties: false, required: ['staff', 'session'], properties: { staff: staffViewSchema, session: sessionSchema } },
      },
    },
    handler: async ({ req }) => {
      const session = currentSession(req);
      const row = await findStaffById(ctx.db.knex, session.staffId);
      if (!row) throw new TesseraError('ERR_UNAUTHENTICATED', 'Unknown session; sign in again');
      return {
        staff: toStaffView(row, ctx.now()),
        session: { sessionId: session.jti, issuedAt: session.issuedAt.toISOString(), expiresAt: session.expiresAt.toISOString() },
      };
    },
  });

  api.route({
    method: 'delete',
    path: '/v1/sessions/current',
    operationId: 'signOut',
    summary: 'Sign out: revoke this session token',
    tags,
    auth: OWN_SESSION,
    successStatus: 204,
    responses: { 204: { description: 'signed out' } },
    handler: async ({ req }) => {
      await signOut(rt, currentSession(req));
      return undefined;
    },
  });

  api.route<Record<string, string>, Record<string, unknown>, { currentPassword: string; newPassword: string }>({
    method: 'post',
    path: '/v1/sessions/current/password',
    operationId: 'changeOwnPassword',
    summary: 'Change your own password',
    description: 'Needs the current password (a wrong one counts towards the lockout). Ends your other sessions; this one stays.',
    tags,
    auth: OWN_SESSION,
    body: changePasswordBody,
    successStatus: 204,
    responses: { 204: { description: 'changed' } },
    handler: async ({ req, body }) => {
      await changeOwnPassword(rt, currentSession(req), body);
      return undefined;
    },
  });
  return api;
}
