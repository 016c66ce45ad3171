import type { RequestListener, ServerOptions } from 'node:http';
import express, { type Express, type RequestHandler } from 'express';
import { collectDefaultMetrics, Registry } from 'prom-client';
import type { Config } from '../../shared/config/index.js';
import type { Database, MigrationOptions } from '../../shared/db/index.js';
import { TesseraError } from '../../shared/errors/index.js';
import {
  ApiRouter,
  buildOpenApiDocument,
  httpMetrics,
  problemHandler,
  requestContext,
  securityHeaders,
  RouteTable,
  routeFirstListener,
  hasJsonContentType,
  expressObjectClasses,
  type ExpressObjectClasses,
  type Authenticate,
} from '../../shared/http/index.js';
import type { Logger } from '../../shared/logging/index.js';
import { SealedBox } from '../../shared/secrets/index.js';
import type { PlatformService, ServiceContext } from '../../shared/service/index.js';
import { mountHealthRoutes } from './routes/health-routes.js';
import { mountOperationsRoutes } from './routes/operations-routes.js';
import { PLATFORM_VERSION } from './version.js';

export interface AppDependencies {
  config: Config;
  db: Database;
  logger: Logger;
  services: readonly PlatformService[];
  now?: () => Date;
  /** Overrides how protected routes find their caller (tests); defaults to the services' own. */
  authenticate?: Authenticate;
  /** Key-encryption key for secrets at rest; tests may pass a random one. */
  keyEncryptionKey: Buffer;
  /** The request and response classes of a server already listening (run-platform); else the app makes its own. */
  objectClasses?: ExpressObjectClasses;
}

export interface PlatformApp {
  app: Express;
  /** What the HTTP server calls per request: declared routes straight from the route table, the rest through express. */
  listener: RequestListener;
  /** Options for node:http's createServer that make requests and responses this app's express objects (see expressObjectClasses). */
  serverOptions: ServerOptions;
  ctx: ServiceContext;
  metrics: Registry;
  openApiDocument: () => Record<string, unknown>;
  /** Readiness answers 503 and keep-alive connections are closed once this is set. */
  beginShutdown: () => void;
  isShuttingDown: () => boolean;
}

/** Until the identity and auth services supply real authentication, protected routes are closed. */
const refuseEveryone: Authenticate = async () => {
  throw new TesseraError('ERR_UNAUTHENTICATED', 'No authentication method is configured for this route');
};

export function migrationOptionsFor(services: readonly PlatformService[]): MigrationOptions {
  return { extraDirectories: services.flatMap((s) => s.migrationDirectories ?? []) };
}

/** Composes the HTTP app from the services' routers: one express app, one metrics registry, one OpenAPI document. */
export async function buildApp(deps: AppDependencies): Promise<PlatformApp> {
  const metrics = new Registry();
  collectDefaultMetrics({ register: metrics, prefix: 'tessera_' });
  let shuttingDown = false;
  const authenticators: Partial<Record<'staff' | 'reader', Authenticate>> = {};
  // Resolved per request, so services can register their authenticators after the context exists.
  const authenticate: Authenticate =
    deps.authenticate ?? ((req, auth) => (authenticators[auth.kind] ?? refuseEveryone)(req, auth));
  // Every service's routes go in one table, looked up once per request (see RouteTable).
  const routes = new RouteTable();
  const routerOptions = { authenticate, bodyLimitBytes: deps.config.bodyLimitBytes, table: routes };
  const routers: ApiRouter[] = [];
  const createRouter = () => {
    const router = new ApiRouter(routerOptions);
    routers.push(router);
    return router;
  };
  const ctx: ServiceContext = {
    config: deps.config,
    db: deps.db,
    logger: deps.logger,
    metrics,
    now: deps.now ?? (() => new Date()),
    secrets: new SealedBox(deps.keyEncryptionKey),
    createRouter,
    collectSubjectData: async (cardholderId) => {
      const collected: Record<string, unknown> = {};
      for (const service of deps.services) {
        const data = await service.subjectData?.(ctx, cardholderId);
        if (data !== undefined) collected[service.name] = data;
      }
      return collected;
    },
  };
  for (const service of deps.services) Object.assign(authenticators, service.authenticators?.(ctx));

  let cachedDocument: Record<string, unknown> | undefined;
  const openApiDocument = () =>
    (cachedDocument ??= buildOpenApiDocument(
      { title: 'Tessera', version: PLATFORM_VERSION, description: 'Smart card platform for public bodies' },
      routers.flatMap((r) => r.routes),
    ));

  mountHealthRoutes(createRouter(), { db: deps.db, migrations: migrationOptionsFor(deps.services), isShuttingDown: () => shuttingDown });
  mountOperationsRoutes(createRouter(), { metrics, openApiDocument });
  for (const service of deps.services) await service.routers?.(ctx);

  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', false);
  // Answers set their own validators where they have one (the CRL's number); a hash of every body is waste.
  app.set('etag', false);
  // Every request, whichever way it is dispatched (see routeFirstListener), passes through these in order.
  const pipeline: RequestHandler[] = [
    requestContext(deps.logger),
    httpMetrics(metrics),
    // TLS ends at the load balancer, which owns HSTS; upgrading requests would break plain-HTTP desks on the LAN.
    securityHeaders({ hsts: false, contentSecurityPolicy: { directives: { upgradeInsecureRequests: null } } }),
    (_req, res, next) => {
      if (shuttingDown) res.setHeader('connection', 'close');
      next();
    },
    express.json({ limit: deps.config.bodyLimitBytes, strict: true, type: hasJsonContentType }),
  ];
  app.use(...pipeline);
  app.use(routes.middleware);
  app.use((req, _res, next) => next(new TesseraError('ERR_NOT_FOUND', `No route for ${req.method} ${req.path}`)));
  app.use(problemHandler);

  const objectClasses = deps.objectClasses ?? expressObjectClasses();
  objectClasses.adopt(app);

  return {
    app,
    serverOptions: objectClasses.serverOptions,
    listener: routeFirstListener({ app, table: routes, pipeline, onError: problemHandler }),
    ctx,
    metrics,
    openApiDocument,
    beginShutdown: () => {
      shuttingDown = true;
    },
    isShuttingDown: () => shuttingDown,
  };
}
