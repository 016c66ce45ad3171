import { TesseraError } from '../../shared/errors/index.js';
import type { Authenticate } from '../../shared/http/index.js';
import type { TapModule } from '../../shared/modules/index.js';
import type { PlatformService, ServiceContext } from '../../shared/service/index.js';
import { installedModules } from '../modules/index.js';
import { AuthRuntime } from './auth-runtime.js';
import type { AuthSettings } from './auth-settings.js';
import { readerAuthenticator } from './readers/reader-authenticator.js';
import { mountReaderRoutes } from './readers/reader-routes.js';
import { mountReaderSelfRoutes } from './readers/reader-self-routes.js';
import { mountAnchorRoutes } from './anchors/anchor-routes.js';
import { moduleApi } from './modules/module-api.js';
import { closeDeskRelay, deskRelayFor } from './relay/desk-relay-for.js';
import { mountRelayRoutes } from './relay/relay-routes.js';
import { mountTapPurgeRoutes } from './taps/purge-routes.js';
import { mountTapRoutes } from './taps/tap-routes.js';
import { mountJwksRoutes } from './tokens/jwks-routes.js';

export interface AuthServiceOptions {
  /** The tap modules to route to; defaults to services/modules' installed list. */
  readonly modules?: readonly TapModule[];
  /** Overrides of the configured settings (tests, benchmarks). */
  readonly settings?: Partial<AuthSettings>;
}

export interface AuthService extends PlatformService {
  /** The reader authenticator of the most recent platform this service was built into (tests compose it with staff test auth). */
  readonly authenticate: Authenticate;
  /** The runtime of the most recent platform this service was built into. */
  runtime(): AuthRuntime;
}

/**
 * The PlatformService 'auth': readers and their credentials, the tap challenge and its
 * verification, decision tokens and their JWKS, trust anchors, and the module registry and
 * router. It supplies the platform's `reader` authenticator.
 */
export function authService(options: AuthServiceOptions = {}): AuthService {
  const modules = options.modules ?? installedModules();
  const runtimes = new Map<ServiceContext, AuthRuntime>();
  let latest: AuthRuntime | undefined;
  const runtimeFor = (ctx: ServiceContext) => {
    let rt = runtimes.get(ctx);
    if (!rt) {
      rt = new AuthRuntime(ctx, modules, options.settings);
      runtimes.set(ctx, rt);
    }
    latest = rt;
    return rt;
  };
  const authenticators = new WeakMap<AuthRuntime, Authenticate>();
  const authenticatorOf = (rt: AuthRuntime) => {
    let authenticate = authenticators.get(rt);
    if (!authenticate) {
      authenticate = readerAuthenticator({ readers: rt.readers, gate: rt.gate, security: rt.security, now: rt.now });
      authenticators.set(rt, authenticate);
    }
    return authenticate;
  };
  return {
    name: 'auth',
    migrationDirectories: modules.flatMap((m) => (m.migrationsDirectory ? [m.migrationsDirectory] : [])),
    // Each enabled module's demo data, run once per embedded database like every other seeder.
    demoSeeders: modules
      .filter((m) => m.demoSeed !== undefined)
      .map((m) => ({
        name: `module/${m.name}`,
        seed: async (ctx: ServiceContext) => {
          const moduleCtx = runtimeFor(ctx).moduleContexts.get(m.name);
          if (moduleCtx) await m.demoSeed!(moduleCtx);
        },
      })),
    authenticators: (ctx) => ({ reader: authenticatorOf(runtimeFor(ctx)) }),
    async routers(ctx) {
      const rt = runtimeFor(ctx);
      await rt.start();
      const readers = ctx.createRouter();
      // The reader's own routes first: /v1/readers/self must not be taken for a reader id.
      mountReaderSelfRoutes(readers, rt);
      mountRelayRoutes(readers, rt, deskRelayFor(ctx));
      mountReaderRoutes(readers, rt);
      const taps = ctx.createRouter();
      mountTapRoutes(taps, rt);
      mountTapPurgeRoutes(taps, rt);
      mountJwksRoutes(taps, rt);
      mountAnchorRoutes(taps, rt);
      const routers = [readers, taps];
      // Each enabled module's management API, under /v1/<module>; a disabled module mounts nothing.
      for (const module of rt.registry.enabledModules) {
        if (!module.routes) continue;
        const router = ctx.createRouter();
        await module.routes(moduleApi(router, module.name), rt.moduleContexts.get(module.name)!);
        routers.push(router);
      }
      return routers;
    },
    authenticate: (req, auth) => {
      if (!latest) throw new TesseraError('ERR_UNAUTHENTICATED', 'The auth service is not running');
      return authenticatorOf(latest)(req, auth);
    },
    runtime: () => {
      if (!latest) throw new Error('the auth service has not been built into a platform yet');
      return latest;
    },
    async close() {
      for (const [ctx, rt] of runtimes) {
        await rt.close();
        await closeDeskRelay(ctx);
      }
      runtimes.clear();
      for (const module of modules) await module.close?.();
    },
  };
}
