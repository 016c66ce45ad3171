import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { migrationOptionsFor } from '../../../services/platform/app.js';
import { allServices } from '../../../services/platform/services.js';
import { STAFF_ROLES, isStaffRole, type StaffRole } from '../../../services/identity/roles.js';
import { insertSession } from '../../../services/identity/sessions/session-store.js';
import { sessionRuntimeFor } from '../../../services/identity/sessions/session-runtime.js';
import { signSessionToken } from '../../../services/identity/sessions/session-tokens.js';
import { createStaff } from '../../../services/identity/staff/create-staff.js';
import { createTestDatabase, onPostgres, type TestDatabase } from '../../support/test-database.js';
import { startIdentity, type IdentityFixture } from './identity-fixture.js';

interface Operation {
  security?: Record<string, string[]>[];
  'x-roles'?: string[];
  parameters?: { name: string; in: string; schema?: { format?: string; type?: string } }[];
  requestBody?: { content: Record<string, unknown> };
}

type Kind = 'public' | 'staff' | 'reader';

const kindOf = (operation: Operation): Kind => {
  const schemes = (operation.security ?? []).flatMap((s) => Object.keys(s));
  if (schemes.length === 0) return 'public';
  if (schemes.includes('staffSession')) return 'staff';
  return 'reader';
};

/** A request that reaches the route: placeholders for path parameters, an empty body of the declared type. */
function requestFor(path: string, method: string, operation: Operation) {
  const url = path.replace(/\{(\w+)\}/g, (_, name: string) => {
    const schema = operation.parameters?.find((p) => p.in === 'path' && p.name === name)?.schema;
    if (schema?.format === 'uuid') return randomUUID();
    if (schema?.type === 'integer' || schema?.type === 'number') return '1';
    return 'matrix-placeholder';
  });
  const contentType = operation.requestBody ? Object.keys(operation.requestBody.content)[0] : undefined;
  const body = contentType === undefined ? undefined : contentType.includes('json') ? '{}' : '';
  return { url, method: method.toUpperCase(), contentType, body };
}

/**
 * Walks EVERY route of the OpenAPI document of a platform running all services, with no token
 * and with a token of each role. Generic on purpose: routes other rooms add later are covered
 * the day they appear. Authentication runs before validation, so empty bodies and placeholder
 * ids are enough to see 401/403 decisions; anything else (400, 404, 200 ...) means "let in".
 */
describe(`role matrix over every route (${onPostgres ? 'PostgreSQL' : 'PGlite'})`, function () {
  this.timeout(300_000);
  let db: TestDatabase;
  let fx: IdentityFixture;
  const staffIds = new Map<StaffRole, string>();

  before(async () => {
    const services = allServices();
    db = await createTestDatabase({ migrations: migrationOptionsFor(services) });
    fx = await startIdentity({ db, services });
    const command = { knex: db.knex, actor: { kind: 'system' as const, id: 'role-matrix' }, now: fx.clock.now() };
    for (const role of STAFF_ROLES) {
      const created = await createStaff(command, { username: `matrix-${role}`, roles: [role], password: `matrix-password-${role}` });
      staffIds.set(role, created.staff.id);
    }
  });
  after(async () => {
    await fx?.close();
    await db?.dispose();
  });

  /** A fresh session per request: some routes end the session they are called with (sign-out). */
  async function tokenFor(role: StaffRole): Promise<string> {
    const rt = sessionRuntimeFor(fx.platform.platform.ctx);
    const key = await rt.keys.signingKey();
    const now = fx.clock.now();
    const session = { jti: randomUUID(), staffId: staffIds.get(role)!, issuedAt: now, expiresAt: new Date(now.getTime() + 600_000) };
    await insertSession(db.knex, session);
    return signSessionToken(key, { ...session, username: `matrix-${role}`, roles: [role] });
  }

  async function send(request: ReturnType<typeof requestFor>, token?: string): Promise<number> {
    const headers: Record<string, string> = {};
    if (token) headers.authorization = `Bearer ${token}`;
    if (request.contentType) headers['content-type'] = request.contentType;
    try {
      const response = await fetch(`${fx.baseUrl}${request.url}`, {
        method: request.method,
        headers,
        ...(request.body !== undefined ? { body: request.body } : {}),
        signal: AbortSignal.timeout(10_000),
      });
      await response.arrayBuffer();
      return response.status;
    } catch (error) {
      // A route that holds the request open (a relay, a long poll) got past authentication.
      if ((error as Error).name === 'TimeoutError') return 0;
      throw error;
    }
  }

  it('answers 401 without a token, 403 to every unlisted role, and lets every listed role in', async () => {
    const document = (await (await fetch(`${fx.baseUrl}/openapi.json`)).json()) as { paths: Record<string, Record<string, Operation>> };
    const operations = Object.entries(document.paths).flatMap(([path, methods]) => Object.entries(methods).map(([method, op]) => ({ path, method, op })));
    expect(operations.map((o) => `${o.method} ${o.path}`)).to.include.members(['post /v1/sessions', 'get /v1/staff', 'get /v1/audit']);
    expect(operations.length, 'operations in the document').to.be.greaterThan(10);

    const failures: string[] = [];
    const note = (what: string, status: number, expected: string) => failures.push(`${what}: got ${status}, expected ${expected}`);
    for (const { path, method, op } of operations) {
      const kind = kindOf(op);
      const name = `${method.toUpperCase()} ${path}`;
      const anonymous = await send(requestFor(path, method, op));
      if (kind === 'public') {
        if (anonymous === 401 || anonymous === 403) note(`${name} (public, no token)`, anonymous, 'neither 401 nor 403');
        const withToken = await send(requestFor(path, method, op), await tokenFor('reception'));
        if (withToken === 401 || withToken === 403) note(`${name} (public, staff token)`, withToken, 'neither 401 nor 403');
        continue;
      }
      if (anonymous !== 401) note(`${name} (no token)`, anonymous, '401');
      if (kind === 'reader') {
        // A staff session is not a reader credential.
        const status = await send(requestFor(path, method, op), await tokenFor('admin'));
        if (status !== 401 && status !== 403) note(`${name} (reader route, admin staff token)`, status, '401 or 403');
        continue;
      }
      const allowed = op['x-roles'] ?? [];
      if (allowed.length === 0) failures.push(`${name}: a staff route must list its roles (x-roles)`);
      for (const role of allowed) if (!isStaffRole(role)) failures.push(`${name}: x-roles names unknown role '${role}'`);
      for (const role of STAFF_ROLES) {
        const status = await send(requestFor(path, method, op), await tokenFor(role));
        if (allowed.includes(role)) {
          if (status === 401 || status === 403) note(`${name} as ${role} (listed)`, status, 'neither 401 nor 403');
        } else if (status !== 403) {
          note(`${name} as ${role} (not listed)`, status, '403');
        }
      }
    }
    expect(failures, failures.join('\n')).to.deep.equal([]);
  });
});
