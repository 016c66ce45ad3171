import type { ApiRouter } from '../../shared/http/index.js';
import type { DemoSeeder, PlatformService, ServiceContext } from '../../shared/service/index.js';
import { mountAuditRoutes } from './audit/audit-routes.js';
import { cardDeskPart } from './card-desk-part.js';
import { issuancePart } from './issuance/index.js';
import type { IssuancePartOptions } from './issuance/issuance-part.js';
import { cardCertificateHooks, pkiFor, pkiPart } from './pki/index.js';
import { mountSessionRoutes } from './sessions/session-routes.js';
import { sessionRuntimeFor } from './sessions/session-runtime.js';
import { staffAuthenticator } from './sessions/staff-authenticator.js';
import { demoStaffSeeder } from './staff/demo-staff.js';
import { ensureFirstAdmin } from './staff/first-admin.js';
import { mountStaffRoutes } from './staff/staff-routes.js';

/**
 * One room of the identity service (staff, sessions, audit, PKI, cardholders, cards ...).
 * A part contributes routes, start-up work, demo seeders and migration folders; the identity
 * service is the list of its parts.
 */
export interface IdentityPart {
  readonly name: string;
  /** Migration folders beyond db/migrations, if the part keeps its own. */
  readonly migrationDirectories?: readonly string[];
  /** Work to do once at start, before routes are mounted (e.g. the first admin). */
  start?(ctx: ServiceContext): Promise<void>;
  /** Mounts the part's routes on a router of its own. */
  mount?(api: ApiRouter, ctx: ServiceContext): void | Promise<void>;
  readonly demoSeeders?: readonly DemoSeeder[];
  close?(): Promise<void>;
}

export const staffPart: IdentityPart = {
  name: 'staff',
  start: ensureFirstAdmin,
  mount: (api, ctx) => void mountStaffRoutes(api, ctx),
  demoSeeders: [demoStaffSeeder],
};

export const sessionsPart: IdentityPart = {
  name: 'sessions',
  mount: (api, ctx) => void mountSessionRoutes(api, ctx),
};

export const auditPart: IdentityPart = {
  name: 'audit',
  mount: (api, ctx) => void mountAuditRoutes(api, ctx),
};

/**
 * The parts of the identity service, in start order. Later rooms (PKI, cardholders, cards,
 * issuance) add themselves here: one line each.
 */
export function identityParts(options: IssuancePartOptions = {}): IdentityPart[] {
  return [staffPart, sessionsPart, auditPart, pkiPart, cardDeskPart((ctx) => cardCertificateHooks(pkiFor(ctx))), issuancePart(options)];
}

/** The PlatformService named 'identity', built from its parts; staff authentication belongs to the service itself. */
export function identityService(parts: readonly IdentityPart[] = identityParts()): PlatformService {
  const names = parts.map((p) => p.name);
  const duplicate = names.find((name, i) => names.indexOf(name) !== i);
  if (duplicate) throw new Error(`identity part '${duplicate}' is listed twice`);
  return {
    name: 'identity',
    migrationDirectories: parts.flatMap((p) => p.migrationDirectories ?? []),
    demoSeeders: parts.flatMap((p) => (p.demoSeeders ?? []).map((s) => ({ ...s, name: `${p.name}/${s.name}` }))),
    authenticators: (ctx) => ({ staff: staffAuthenticator(sessionRuntimeFor(ctx)) }),
    async routers(ctx) {
      for (const part of parts) await part.start?.(ctx);
      const routers: ApiRouter[] = [];
      for (const part of parts) {
        if (!part.mount) continue;
        const api = ctx.createRouter();
        await part.mount(api, ctx);
        routers.push(api);
      }
      return routers;
    },
    async close() {
      for (const part of [...parts].reverse()) await part.close?.();
    },
  };
}
