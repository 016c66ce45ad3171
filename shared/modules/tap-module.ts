import type { Knex } from 'knex';
import type { Config } from '../config/index.js';
import type { ApiRouter, RouteSpec } from '../http/index.js';
import type { Logger } from '../logging/index.js';
import type { SealedBox } from '../secrets/index.js';
import type { Assurance } from './assurance.js';

/**
 * The module contract (ARCHITECTURE.md, "A module"). A module is a folder under
 * services/modules/<name>/ exporting one TapModule. It declares its purposes and their minimum
 * assurance, its migrations and its routes; the auth service's registry checks all of it when
 * the platform starts (fastify-style: a broken module set refuses to boot, it does not fail on
 * first use), and the router hands it each authenticated tap for one of its purposes.
 *
 * A module never imports another module: it gets what it needs from shared/ and the small
 * context objects below.
 */
export interface TapModule {
  /** Lower-case, `^[a-z][a-z0-9-]{0,31}$`; its routes are mounted under /v1/<name>. */
  readonly name: string;
  /** What the module is for, one line (shown by the registry). */
  readonly description?: string;
  /** The purposes it decides, by name (`^[a-z][a-z0-9-]*(\.[a-z][a-z0-9-]*)+$`, e.g. `door.open`). */
  readonly purposes: Readonly<Record<string, PurposeDeclaration>>;
  /** Absolute path of its knex migrations folder, if it owns tables. */
  readonly migrationsDirectory?: string;
  /** Modules that must be installed and enabled for this one to run. */
  readonly dependsOn?: readonly string[];
  /** Mounts the module's management API; every path is under /v1/<name>. */
  routes?(api: ModuleApi, ctx: ModuleContext): void | Promise<void>;
  /** Decides one authenticated tap. Throwing, or taking longer than the time budget, denies it with `module_unavailable`. */
  decide(tap: AuthenticatedTap, ctx: ModuleTapContext): Promise<ModuleDecision>;
  /** Adds the module's demo data; run once per database when the platform starts on the embedded default. */
  demoSeed?(ctx: ModuleContext): Promise<void>;
  /** Called once when the platform stops. */
  close?(): Promise<void>;
}

/** The cardholder fields a purpose lets the reader show with its decision. */
export const DISPLAY_FIELDS = ['name', 'reference', 'kind', 'orgUnit'] as const;
export type DisplayField = (typeof DISPLAY_FIELDS)[number];

export interface PurposeDeclaration {
  readonly description: string;
  /** The least assurance a tap for this purpose needs; `card+pin` makes the reader use slot 9A and ask for the PIN. */
  readonly minimumAssurance: Assurance;
  /** Cardholder fields the reader may show (data minimisation: none unless listed). */
  readonly display?: readonly DisplayField[];
  /** Milliseconds decide() gets for this purpose (default 500). */
  readonly timeBudgetMs?: number;
  /** Largest payload the purpose accepts, in bytes (default: the platform's limit, 8192). */
  readonly maxPayloadBytes?: number;
  /** Whether trust anchors of other organisations may be allowed for this purpose (default true). */
  readonly allowExternal?: boolean;
}

/** What the platform hands a module: its own logger and the database, the clock, the organisation. */
export interface ModuleContext {
  readonly module: string;
  readonly knex: Knex;
  readonly logger: Logger;
  readonly now: () => Date;
  /** The organisation's IANA time zone (schedules, "until midnight"). */
  readonly timeZone: string;
  /** Seals the module's own secrets at rest (e.g. a signing key), purpose-bound; the platform's ServiceContext.secrets. */
  readonly secrets?: SealedBox;
  /** The platform's configuration (module settings such as TESSERA_BUDGET_APPROVAL_THRESHOLD_PENCE); the platform's ServiceContext.config. */
  readonly config: Config;
}

/** The context of one decision: the module context plus a signal that fires when its time is up. */
export interface ModuleTapContext extends ModuleContext {
  readonly signal: AbortSignal;
}

/** A tap the platform has authenticated: the challenge was fresh and bound, the card's signature and status checked. */
export interface AuthenticatedTap {
  readonly id: string;
  readonly purpose: string;
  readonly target: string;
  readonly at: Date;
  readonly assurance: Assurance;
  readonly reader: { readonly id: string; readonly name: string; readonly kind: string; readonly site: string; readonly location: string };
  /** A card of this platform (with its cardholder) or of another organisation's trusted CA. */
  readonly credential:
    | { readonly kind: 'platform'; readonly cardId: string; readonly cardholderId: string; readonly cardholderReference: string | null }
    | { readonly kind: 'external'; readonly anchorId: string; readonly anchorName: string; readonly subject: string; readonly serial: string };
  /** The payload bytes the card signed over (their SHA-256 is in the signed bytes); empty when none. */
  readonly payload: Uint8Array;
}

export interface ModuleDecision {
  readonly decision: 'granted' | 'denied';
  /** Machine-readable, `^[a-z][a-z0-9_]{0,63}$`; defaults to `ok` when granted and `denied` when not. */
  readonly reason?: string;
  /** Extra facts for the reader to show (a balance, a message), plain strings, numbers and booleans. */
  readonly display?: Readonly<Record<string, string | number | boolean>>;
}

/** A router for a module's routes: paths are relative to /v1/<module name>. */
export interface ModuleApi {
  route<P = Record<string, string>, Q = Record<string, unknown>, B = unknown>(spec: RouteSpec<P, Q, B>): ModuleApi;
  /** The underlying router (for tests and the OpenAPI document). */
  readonly router: ApiRouter;
}
