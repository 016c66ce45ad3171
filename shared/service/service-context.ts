import type { Registry } from 'prom-client';
import type { Config } from '../config/index.js';
import type { Database } from '../db/index.js';
import type { ApiRouter, Authenticate } from '../http/index.js';
import type { Logger } from '../logging/index.js';
import type { SealedBox } from '../secrets/index.js';

/**
 * What the platform hands every service and module: the only way they reach the database,
 * configuration, logs, metrics and time. Tests pass their own clock.
 */
export interface ServiceContext {
  readonly config: Config;
  readonly db: Database;
  readonly logger: Logger;
  readonly metrics: Registry;
  readonly now: () => Date;
  /** Encrypts secrets at rest with the key-encryption key (TESSERA_KEK). */
  readonly secrets: SealedBox;
  /** A router whose routes are validated, authorised and listed in the OpenAPI document. */
  readonly createRouter: () => ApiRouter;
  /** What every service holds about one cardholder, keyed by service name (subject access requests). */
  readonly collectSubjectData: (cardholderId: string) => Promise<Record<string, unknown>>;
}

/** A demo-data step, run once per database (recorded in platform_settings), in service order. */
export interface DemoSeeder {
  readonly name: string;
  seed(ctx: ServiceContext): Promise<void>;
}

/** One of the platform's services (identity, auth, ledger, a module host ...) as the platform composes it. */
export interface PlatformService {
  readonly name: string;
  /** Folders of knex migrations the service owns beyond db/migrations. */
  readonly migrationDirectories?: readonly string[];
  /** Builds the service's routers. Called once per platform process. */
  routers?(ctx: ServiceContext): ApiRouter[] | Promise<ApiRouter[]>;
  readonly demoSeeders?: readonly DemoSeeder[];
  /**
   * How this service recognises callers: identity supplies `staff` (session tokens), auth
   * supplies `reader` (reader credentials). The platform routes each protected route to the
   * authenticator of its kind.
   */
  authenticators?(ctx: ServiceContext): Partial<Record<'staff' | 'reader', Authenticate>>;
  /** This service's data about a cardholder for a subject access export; undefined when it holds none. */
  subjectData?(ctx: ServiceContext, cardholderId: string): Promise<unknown>;
  /** Called on shutdown after the HTTP server has stopped, before the pool closes. */
  close?(): Promise<void>;
}
