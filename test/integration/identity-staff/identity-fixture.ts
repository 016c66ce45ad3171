import type { Config } from '../../../shared/config/index.js';
import type { PlatformService } from '../../../shared/service/index.js';
import { auditPart, identityService, sessionsPart, staffPart } from '../../../services/identity/identity-service.js';
import { createTestDatabase, type TestDatabase } from '../../support/test-database.js';
import { startTestPlatform, type TestPlatform } from '../../support/test-platform.js';

/** One key-encryption key for the whole run, so every platform on a database can open its sealed keys. */
export const TEST_KEK = Buffer.alloc(32, 7);

export const ROOT = { username: 'root', password: 'root-password-for-tests' };

/** A stopped clock the test moves by hand: lockout and token expiry without waiting, and without races. */
export class TestClock {
  #ms = Math.floor(Date.now() / 1000) * 1000;
  readonly now = () => new Date(this.#ms);
  advance(seconds: number): void {
    this.#ms += seconds * 1000;
  }
}

export interface IdentityFixture {
  readonly db: TestDatabase;
  readonly platform: TestPlatform;
  readonly clock: TestClock;
  readonly baseUrl: string;
  close(): Promise<void>;
}

/** A fresh database and the identity service's staff, sessions and audit parts on the real HTTP app, with `root` as the first admin. */
export async function startIdentity(options: { config?: Partial<Config>; services?: PlatformService[]; db?: TestDatabase } = {}): Promise<IdentityFixture> {
  const db = options.db ?? (await createTestDatabase());
  const clock = new TestClock();
  const platform = await startTestPlatform({
    db,
    // By default only the parts these tests are about; the role matrix passes every service.
    services: options.services ?? [identityService([staffPart, sessionsPart, auditPart])],
    keyEncryptionKey: TEST_KEK,
    now: clock.now,
    config: { adminUsername: ROOT.username, adminPassword: ROOT.password, ...options.config },
  });
  return {
    db,
    platform,
    clock,
    baseUrl: platform.baseUrl,
    close: async () => {
      await platform.close();
      if (!options.db) await db.dispose();
    },
  };
}

export interface Reply {
  status: number;
  body: any;
  contentType: string | null;
}

/** fetch with JSON in and out; `token` becomes Authorization: Bearer. */
export async function call(baseUrl: string, method: string, path: string, options: { token?: string; body?: unknown } = {}): Promise<Reply> {
  const headers: Record<string, string> = {};
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers,
    ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined, contentType: response.headers.get('content-type') };
}

export async function signIn(baseUrl: string, username: string, password: string): Promise<string> {
  const reply = await call(baseUrl, 'POST', '/v1/sessions', { body: { username, password } });
  if (reply.status !== 201) throw new Error(`sign-in as ${username} failed: ${reply.status} ${JSON.stringify(reply.body)}`);
  return reply.body.token as string;
}

/** Creates a staff account through the API as `adminToken` and returns its id. */
export async function addStaff(baseUrl: string, adminToken: string, account: { username: string; roles: string[]; password: string; displayName?: string }): Promise<string> {
  const reply = await call(baseUrl, 'POST', '/v1/staff', { token: adminToken, body: account });
  if (reply.status !== 201) throw new Error(`creating ${account.username} failed: ${reply.status} ${JSON.stringify(reply.body)}`);
  return reply.body.staff.id as string;
}
