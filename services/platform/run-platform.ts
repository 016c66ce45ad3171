import { createServer, type RequestListener, type Server, type ServerOptions } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Config } from '../../shared/config/index.js';
import { migrateLatest, openDatabase, type Database } from '../../shared/db/index.js';
import { createLogger, type Logger } from '../../shared/logging/index.js';
import { resolveKeyEncryptionKey } from '../../shared/secrets/index.js';
import type { PlatformService } from '../../shared/service/index.js';
import { buildApp, migrationOptionsFor, type PlatformApp } from './app.js';
import { runDemoSeeders } from './seed/run-demo-seeders.js';
import { bootResponder } from './boot-app.js';
import { answerClientErrorsWithProblems, expressObjectClasses } from '../../shared/http/index.js';

export interface RunningPlatform {
  readonly url: string;
  readonly server: Server;
  readonly platform: PlatformApp;
  readonly db: Database;
  /** Stops accepting, lets in-flight requests finish within the grace period, then closes the pool. */
  stop(): Promise<void>;
}

export interface RunOptions {
  config: Config;
  services: readonly PlatformService[];
  logger?: Logger;
}

export async function runPlatform(options: RunOptions): Promise<RunningPlatform> {
  const { config, services } = options;
  const logger = options.logger ?? createLogger(config.logLevel);
  // A missing key-encryption key is a configuration error: say so before touching the database.
  const keyEncryptionKey = resolveKeyEncryptionKey(config);
  // Listen first, answering as "starting", then hand the socket to the full app once it is ready.
  let handle: RequestListener = bootResponder;
  const objectClasses = expressObjectClasses();
  const server = await listen((req, res) => handle(req, res), objectClasses.serverOptions, config);
  const db = openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, poolMax: config.dbPoolMax, logger });
  try {
    if (config.migrate === 'auto') {
      const applied = await migrateLatest(db, migrationOptionsFor(services));
      if (applied.length > 0) logger.info({ applied }, 'migrations applied');
    }
    const platform = await buildApp({ config, db, logger, services, keyEncryptionKey, objectClasses });
    if (config.seedDemo) {
      const seeded = await runDemoSeeders(platform.ctx, services);
      if (seeded.length > 0) logger.info({ seeded }, 'demo data seeded');
    }
    handle = platform.listener;
    const { port } = server.address() as AddressInfo;
    const host = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
    const url = `http://${host}:${port}`;
    let stopping: Promise<void> | undefined;
    const stop = () =>
      (stopping ??= (async () => {
        platform.beginShutdown();
        await closeServer(server, config.shutdownGraceMs, logger);
        for (const service of [...services].reverse()) await service.close?.();
        await db.close();
      })());
    return { url, server, platform, db, stop };
  } catch (error) {
    server.close();
    server.closeAllConnections();
    await db.close().catch(() => undefined);
    throw error;
  }
}

function listen(handler: RequestListener, serverOptions: ServerOptions, config: Config): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = answerClientErrorsWithProblems(createServer(serverOptions, handler));
    server.once('listening', () => resolve(server));
    server.once('error', reject);
    // Slow clients must not hold sockets for ever.
    server.headersTimeout = 15_000;
    server.requestTimeout = 60_000;
    server.listen(config.port, config.host);
  });
}

/** Graceful close: refuse new connections, drop idle keep-alives, give in-flight requests a bounded time. */
function closeServer(server: Server, graceMs: number, logger: Logger): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      logger.warn({ graceMs }, 'in-flight requests did not finish in time; closing their connections');
      server.closeAllConnections();
    }, graceMs);
    timer.unref();
    server.close(() => {
      clearTimeout(timer);
      resolve();
    });
    server.closeIdleConnections();
  });
}
