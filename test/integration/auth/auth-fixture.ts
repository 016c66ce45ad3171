import { randomBytes } from 'node:crypto';
import type { Authenticate } from '../../../shared/http/index.js';
import type { TapModule } from '../../../shared/modules/index.js';
import type { PlatformService } from '../../../shared/service/index.js';
import { authService, type AuthService, type AuthSettings } from '../../../services/auth/index.js';
import { clientAs, headerAuthenticator } from '../../support/test-auth.js';
import type { TestDatabase } from '../../support/test-database.js';
import { startTestPlatform, type TestPlatform } from '../../support/test-platform.js';

/** A clock the test moves by hand. */
export class ManualClock {
  #t = Date.now();
  readonly now = () => new Date(this.#t);
  advance(ms: number): void {
    this.#t += ms;
  }
}

export interface AuthPlatform {
  readonly t: TestPlatform;
  readonly auth: AuthService;
  readonly admin: ReturnType<typeof clientAs>;
  readonly baseUrl: string;
  close(): Promise<void>;
}

/**
 * The real HTTP app with the auth service: staff callers name their role in x-test-role
 * (test/support/test-auth.ts), readers use their real credentials.
 */
export async function startAuthPlatform(options: {
  db: TestDatabase;
  clock?: ManualClock;
  modules?: readonly TapModule[];
  settings?: Partial<AuthSettings>;
  extraServices?: readonly PlatformService[];
  keyEncryptionKey?: Buffer;
}): Promise<AuthPlatform> {
  const auth = authService({ modules: options.modules ?? [], settings: options.settings ?? {} });
  const authenticate: Authenticate = (req, route) => (route.kind === 'reader' ? auth.authenticate(req, route) : headerAuthenticator(req, route));
  const t = await startTestPlatform({
    db: options.db,
    services: [...(options.extraServices ?? []), auth],
    authenticate,
    keyEncryptionKey: options.keyEncryptionKey ?? randomBytes(32),
    ...(options.clock ? { now: options.clock.now } : {}),
  });
  return {
    t,
    auth,
    admin: clientAs(t.baseUrl, 'admin'),
    baseUrl: t.baseUrl,
    close: async () => {
      await t.close();
      await auth.close?.();
    },
  };
}

/** A JSON client acting as a reader with its credential. */
export function readerClient(baseUrl: string, credential: string) {
  const call = async (method: string, path: string, body?: unknown) => {
    const headers: Record<string, string> = { authorization: `Bearer ${credential}` };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(`${baseUrl}${path}`, { method, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
    const text = await response.text();
    return { status: response.status, body: text ? (JSON.parse(text) as any) : undefined };
  };
  return { get: (path: string) => call('GET', path), post: (path: string, body?: unknown) => call('POST', path, body) };
}

let counter = 0;
/** Registers a reader through the admin API; returns its view and credential. */
export async function registerReader(p: AuthPlatform, extra: Record<string, unknown> = {}) {
  const name = `reader-${process.pid}-${Date.now().toString(36)}-${counter++}`;
  const response = await p.admin.post('/v1/readers', { name, kind: 'kiosk', site: 'Town Hall', location: 'Reception', ...extra });
  if (response.status !== 201) throw new Error(`could not register a reader: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body as { reader: { id: string; name: string }; credential: string };
}
