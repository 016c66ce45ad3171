import type { ApiRouter, RouteSpec } from '../../../shared/http/index.js';
import type { ModuleApi } from '../../../shared/modules/index.js';

/** A module's view of a router: its paths are relative to /v1/<module>, and they are tagged with its name. */
export function moduleApi(router: ApiRouter, moduleName: string): ModuleApi {
  const prefix = `/v1/${moduleName}`;
  const api: ModuleApi = {
    router,
    route<P, Q, B>(spec: RouteSpec<P, Q, B>): ModuleApi {
      if (!spec.path.startsWith('/')) throw new Error(`${moduleName}: route paths start with '/', got ${spec.path}`);
      router.route<P, Q, B>({ ...spec, path: `${prefix}${spec.path === '/' ? '' : spec.path}`, tags: spec.tags ?? [moduleName] });
      return api;
    },
  };
  return api;
}
