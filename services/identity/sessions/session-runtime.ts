import type { Knex } from 'knex';
import type { ServiceContext } from '../../../shared/service/index.js';
import type { LockoutPolicy } from './sign-in-decision.js';
import { SessionSigningKeys } from './signing-keys.js';

/** What the sessions room needs from the platform, built once per ServiceContext. */
export interface SessionRuntime {
  readonly knex: Knex;
  readonly now: () => Date;
  readonly keys: SessionSigningKeys;
  readonly lockout: LockoutPolicy;
  readonly sessionSeconds: number;
}

const runtimes = new WeakMap<ServiceContext, SessionRuntime>();

/** The authenticator and the routes get the same runtime, so they share one key cache. */
export function sessionRuntimeFor(ctx: ServiceContext): SessionRuntime {
  let runtime = runtimes.get(ctx);
  if (!runtime) {
    runtime = {
      knex: ctx.db.knex,
      now: ctx.now,
      keys: new SessionSigningKeys(ctx.db.knex, ctx.secrets, ctx.now),
      lockout: { attempts: ctx.config.staffLockoutAttempts, lockSeconds: ctx.config.staffLockoutSeconds },
      sessionSeconds: ctx.config.staffSessionSeconds,
    };
    runtimes.set(ctx, runtime);
  }
  return runtime;
}
