import type { Knex } from 'knex';
import type { Logger } from '../../shared/logging/index.js';
import type { TapModule } from '../../shared/modules/index.js';
import type { ServiceContext } from '../../shared/service/index.js';
import { authMetrics, type AuthMetrics } from './auth-metrics.js';
import { authSettingsFrom, type AuthSettings } from './auth-settings.js';
import { SecurityLog } from './limits/security-log.js';
import { buildModuleRegistry, type ModuleRegistry, type RegisteredPurpose } from './modules/module-registry.js';
import { notificationFeedFor, type NotificationFeed } from './notifications/notification-feed.js';
import { ReaderDirectory } from './readers/reader-directory.js';
import { ReaderGate } from './readers/reader-gate.js';
import type { ReaderRecord } from './readers/reader-record.js';

/**
 * Everything the auth service keeps per platform process: settings, the LISTEN feed and the
 * caches it invalidates, rate limits, metrics. Built once per ServiceContext.
 */
export class AuthRuntime {
  readonly knex: Knex;
  readonly logger: Logger;
  readonly now: () => Date;
  readonly settings: AuthSettings;
  readonly metrics: AuthMetrics;
  readonly feed: NotificationFeed;
  readonly readers: ReaderDirectory;
  readonly gate: ReaderGate;
  readonly security: SecurityLog;
  readonly registry: ModuleRegistry;
  #started: Promise<void> | undefined;

  constructor(
    readonly ctx: ServiceContext,
    modules: readonly TapModule[] = [],
    settings: Partial<AuthSettings> = {},
  ) {
    this.knex = ctx.db.knex;
    this.logger = ctx.logger.child({ room: 'auth' });
    this.now = ctx.now;
    this.settings = authSettingsFrom(ctx.config, settings);
    this.registry = buildModuleRegistry(modules, this.settings.disabledModules);
    this.metrics = authMetrics(ctx.metrics);
    this.feed = notificationFeedFor(ctx.db, this.logger);
    this.readers = new ReaderDirectory(this.knex, this.feed);
    this.gate = new ReaderGate(this.knex, this.settings, this.metrics, this.logger);
    this.security = new SecurityLog(this.knex, this.logger);
  }

  /** The purposes a reader may ask for: the platform's own, and those of the module it serves. */
  purposesFor(reader: Pick<ReaderRecord, 'module'>): RegisteredPurpose[] {
    return [...this.registry.purposes.values()].filter((p) => p.module === undefined || p.module.name === reader.module);
  }

  /** Starts listening; until then (and whenever the feed is down) caches are bypassed. */
  start(): Promise<void> {
    this.#started ??= this.feed.start();
    return this.#started;
  }

  async close(): Promise<void> {
    await this.feed.close();
  }
}
