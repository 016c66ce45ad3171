import { appendAudit } from '../../../../shared/audit/index.js';
import { TesseraError } from '../../../../shared/errors/index.js';
import type { Principal } from '../../../../shared/http/index.js';
import type { ModuleApi, ModuleContext } from '../../../../shared/modules/index.js';
import { createGroup, groupById, listGroups, listMemberships, putMembership, removeMembership, updateGroup, type GroupInput } from '../groups/group-store.js';
import { cardholderExists } from '../holders/card-register.js';
import { ID, INSTANT, MANAGERS, NAME, created, idParams, ok } from './access-schemas.js';

const tags = ['access'];
const groupBody = (required: string[]) =>
  ({
    type: 'object', additionalProperties: false, required, minProperties: 1,
    properties: {
      name: NAME,
      scheduleId: { type: ['string', 'null'], format: 'uuid', description: 'the schedule the group opens its zones in; null: at all times' },
      emergency: { type: 'boolean', description: 'still admitted by a door whose offline allow-list has expired' },
      zoneIds: { type: 'array', maxItems: 500, uniqueItems: true, items: ID },
    },
  }) as const;

interface MembershipBody {
  validFrom?: string | null;
  validUntil?: string | null;
  note?: string;
}

/** Access groups, and the cardholders in them (temporary access is a membership with an end). */
export function mountGroupRoutes(api: ModuleApi, ctx: ModuleContext): void {
  api.route({
    method: 'get', path: '/groups', operationId: 'accessListGroups', summary: 'List access groups', tags, auth: MANAGERS, responses: ok('The groups'),
    handler: async () => ({ groups: await listGroups(ctx.knex) }),
  });
  api.route<Record<string, string>, Record<string, unknown>, GroupInput>({
    method: 'post', path: '/groups', operationId: 'accessCreateGroup', summary: 'Create an access group', tags, auth: MANAGERS, successStatus: 201,
    body: groupBody(['name']), responses: created('The group'),
    handler: ({ body }) => createGroup(ctx.knex, body, ctx.now()),
  });
  api.route<{ groupId: string }, Record<string, unknown>, Partial<GroupInput>>({
    method: 'patch', path: '/groups/{groupId}', operationId: 'accessUpdateGroup', summary: 'Change a group (its zone list is replaced when given)', tags, auth: MANAGERS,
    params: idParams('groupId'), body: groupBody([]), responses: ok('The group'),
    handler: ({ params, body }) => updateGroup(ctx.knex, params.groupId, body),
  });
  api.route<{ groupId: string }>({
    method: 'get', path: '/groups/{groupId}/members', operationId: 'accessListMembers', summary: "A group's members", tags, auth: MANAGERS,
    params: idParams('groupId'), responses: ok('The memberships'),
    handler: async ({ params }) => {
      await groupById(ctx.knex, params.groupId);
      return { memberships: await listMemberships(ctx.knex, { groupId: params.groupId }) };
    },
  });
  api.route<{ groupId: string; cardholderId: string }, Record<string, unknown>, MembershipBody>({
    method: 'put', path: '/groups/{groupId}/members/{cardholderId}', operationId: 'accessPutMember',
    summary: 'Add a cardholder to a group, or change their window (validUntil: temporary access that lapses by itself)', tags, auth: MANAGERS,
    params: idParams('groupId', 'cardholderId'), responses: ok('The membership'),
    body: { type: 'object', additionalProperties: false, properties: { validFrom: INSTANT, validUntil: INSTANT, note: { type: 'string', maxLength: 200 } } },
    handler: async ({ params, body, principal }) => {
      await groupById(ctx.knex, params.groupId);
      if (!(await cardholderExists(ctx.knex, params.cardholderId))) throw new TesseraError('ERR_ACCESS_NOT_FOUND', `No cardholder ${params.cardholderId}`);
      return ctx.knex.transaction(async (trx) => {
        const membership = await putMembership(
          trx,
          {
            ...params,
            validFrom: body.validFrom ? new Date(body.validFrom) : null,
            validUntil: body.validUntil ? new Date(body.validUntil) : null,
            ...(body.note !== undefined ? { note: body.note } : {}),
          },
          ctx.now(),
        );
        await appendAudit(trx, { actor: actorOf(principal), action: 'access.membership-put', subject: { kind: 'cardholder', id: params.cardholderId }, details: { ...membership }, at: ctx.now() });
        return membership;
      });
    },
  });
  api.route<{ groupId: string; cardholderId: string }>({
    method: 'delete', path: '/groups/{groupId}/members/{cardholderId}', operationId: 'accessRemoveMember', summary: 'Remove a cardholder from a group', tags, auth: MANAGERS,
    params: idParams('groupId', 'cardholderId'), successStatus: 204, responses: { 204: { description: 'Removed' } },
    handler: async ({ params, principal, res }) => {
      await ctx.knex.transaction(async (trx) => {
        await removeMembership(trx, params.groupId, params.cardholderId);
        await appendAudit(trx, { actor: actorOf(principal), action: 'access.membership-remove', subject: { kind: 'cardholder', id: params.cardholderId }, details: { groupId: params.groupId }, at: ctx.now() });
      });
      res.status(204).end();
      return undefined;
    },
  });
  api.route<{ cardholderId: string }>({
    method: 'get', path: '/cardholders/{cardholderId}/memberships', operationId: 'accessCardholderMemberships', summary: "A cardholder's access groups", tags, auth: MANAGERS,
    params: idParams('cardholderId'), responses: ok('The memberships'),
    handler: async ({ params }) => ({ memberships: await listMemberships(ctx.knex, { cardholderId: params.cardholderId }) }),
  });
}

export function actorOf(principal: Principal | undefined) {
  return principal ? { kind: principal.kind, id: principal.id } : { kind: 'system' as const, id: 'access' };
}
