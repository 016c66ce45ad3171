import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import type { ApiRouter, RouteSpec } from '../../../../shared/http/index.js';
import type { AuthenticatedTap, ModuleApi, ModuleContext } from '../../../../shared/modules/index.js';
import type { PlatformService } from '../../../../shared/service/index.js';
import { accessModule } from '../../../../services/modules/access/index.js';
import { sharedTestDatabase, type TestDatabase } from '../../../support/test-database.js';
import { startTestPlatform, type TestPlatform } from '../../../support/test-platform.js';
import { headerAuthenticator } from '../../../support/test-auth.js';

/**
 * The access module hosted the way the auth service hosts a module (routes under /v1/access,
 * a ModuleContext built from the platform's), without the tap path: tests hand decide() an
 * AuthenticatedTap directly. The end-to-end test runs the real auth service.
 */
export interface AccessHost {
  readonly db: TestDatabase;
  readonly platform: TestPlatform;
  readonly ctx: ModuleContext;
  readonly manager: ReturnType<typeof jsonClient>;
  /** A client acting as the reader with this id. */
  reader(readerId: string): ReturnType<typeof readerClient>;
  setNow(at: Date): void;
  close(): Promise<void>;
}

export async function startAccessHost(): Promise<AccessHost> {
  const db = await sharedTestDatabase({ extraDirectories: [accessModule.migrationsDirectory!] });
  let now = new Date('2026-07-01T09:00:00Z');
  let ctx: ModuleContext | undefined;
  const host: PlatformService = {
    name: 'access-test-host',
    async routers(service) {
      // Built as the auth service builds it (services/auth/auth-runtime.ts); not a literal, so fields the contract adds later do not break it.
      const context = { module: 'access', knex: service.db.knex, logger: service.logger, now: () => now, timeZone: 'Europe/London', secrets: service.secrets, config: service.config };
      ctx = context;
      const router = service.createRouter();
      await accessModule.routes!(prefixed(router), ctx);
      return [router];
    },
  };
  const platform = await startTestPlatform({ db, services: [host], authenticate: headerAuthenticator, now: () => now });
  return {
    db,
    platform,
    ctx: ctx!,
    manager: jsonClient(platform.baseUrl, { 'x-test-role': 'access-manager' }),
    reader: (readerId) => readerClient(platform.baseUrl, readerId),
    setNow: (at) => {
      now = at;
    },
    close: () => platform.close(),
  };
}

function prefixed(router: ApiRouter): ModuleApi {
  const api: ModuleApi = {
    router,
    route<P, Q, B>(spec: RouteSpec<P, Q, B>) {
      router.route<P, Q, B>({ ...spec, path: `/v1/access${spec.path}` });
      return api;
    },
  };
  return api;
}

/** A JSON client that sends the test authenticator's headers (clientAs, plus PUT). */
export function jsonClient(baseUrl: string, identity: Record<string, string>) {
  const call = async (method: string, path: string, body?: unknown) => {
    const headers: Record<string, string> = { ...identity };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(`${baseUrl}${path}`, { method, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
    const text = await response.text();
    return { status: response.status, body: text ? (JSON.parse(text) as any) : undefined };
  };
  return {
    get: (path: string) => call('GET', path),
    post: (path: string, body?: unknown) => call('POST', path, body),
    put: (path: string, body?: unknown) => call('PUT', path, body),
    patch: (path: string, body?: unknown) => call('PATCH', path, body),
    delete: (path: string) => call('DELETE', path),
  };
}

const readerClient = (baseUrl: string, readerId: string) => jsonClient(baseUrl, { 'x-test-role': 'reader', 'x-test-reader': readerId });

/** A cardholder with one active card (rows straight into the core tables, as identity would write them). */
export async function enrolWithCard(knex: Knex, options: { cardStatus?: string } = {}): Promise<{ cardholderId: string; cardId: string }> {
  const cardholderId = randomUUID();
  const cardId = randomUUID();
  const reference = `T-${cardholderId.slice(0, 12)}`;
  await knex('cardholders').insert({ id: cardholderId, reference, given_name: 'Test', family_name: reference, kind: 'staff' });
  await knex('cards').insert({
    id: cardId,
    cardholder_id: cardholderId,
    status: options.cardStatus ?? 'active',
    ...(options.cardStatus === 'revoked' ? { revocation_reason: 'lost' } : {}),
    algorithm: 'p256',
    expires_at: new Date('2030-01-01T00:00:00Z'),
  });
  return { cardholderId, cardId };
}

/** An authenticated door.open tap from a reader, as the auth service hands it to decide(). */
export function doorTap(readerId: string, holder: { cardholderId: string; cardId: string }, at: Date, assurance: 'card' | 'card+pin' = 'card'): AuthenticatedTap {
  return {
    id: randomUUID(),
    purpose: 'door.open',
    target: 'door',
    at,
    assurance,
    reader: { id: readerId, name: `door-${readerId.slice(0, 8)}`, kind: 'door', site: 'test', location: '' },
    credential: { kind: 'platform', cardId: holder.cardId, cardholderId: holder.cardholderId, cardholderReference: null },
    payload: new Uint8Array(),
  };
}

export function decideAt(host: AccessHost, tap: AuthenticatedTap) {
  host.setNow(tap.at);
  return accessModule.decide(tap, { ...host.ctx, signal: new AbortController().signal });
}
