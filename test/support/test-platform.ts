import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Config } from '../../shared/config/index.js';
import type { Database } from '../../shared/db/index.js';
import { answerClientErrorsWithProblems, type Authenticate } from '../../shared/http/index.js';
import { createLogger } from '../../shared/logging/index.js';
import type { PlatformService } from '../../shared/service/index.js';
import { buildApp, type PlatformApp } from '../../services/platform/app.js';
import { testConfig } from './test-config.js';

/**
 * One key-encryption key for the whole run: platforms started on the shared test database must
 * be able to open the secrets (CA keys, card keys) that earlier platforms sealed there.
 */
export const RUN_KEK = randomBytes(32);

export interface TestPlatform {
  readonly baseUrl: string;
  readonly platform: PlatformApp;
  close(): Promise<void>;
}

/** The real HTTP app on 127.0.0.1 with an ephemeral port, over a database the test owns. */
export async function startTestPlatform(options: {
  db: Database;
  services?: readonly PlatformService[];
  config?: Partial<Config>;
  now?: () => Date;
  authenticate?: Authenticate;
  keyEncryptionKey?: Buffer;
}): Promise<TestPlatform> {
  const config = testConfig(options.config);
  const platform = await buildApp({
    config,
    db: options.db,
    logger: createLogger('silent'),
    services: options.services ?? [],
    keyEncryptionKey: options.keyEncryptionKey ?? RUN_KEK,
    ...(options.now ? { now: options.now } : {}),
    ...(options.authenticate ? { authenticate: options.authenticate } : {}),
  });
  const server: Server = await new Promise((resolve) => {
    const s = answerClientErrorsWithProblems(createServer(platform.serverOptions, platform.listener)).listen(0, '127.0.0.1', () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    platform,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
