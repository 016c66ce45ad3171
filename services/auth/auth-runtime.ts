import type { Knex } from 'knex';
import type { Logger } from '../../shared/logging/index.js';
import type { ModuleContext, TapModule } from '../../shared/modules/index.js';
import type { ServiceContext } from '../../shared/service/index.js';
import { pkiFor } from '../identity/pki/index.js';
import { AnchorCrlRefresher } from './anchors/anchor-crls.js';
import { loadExternalAnchors } from './anchors/external-anchors.js';
import { authMetrics, type AuthMetrics } from './auth-metrics.js';
import { authSettingsFrom, type AuthSettings } from './auth-settings.js';
import { SecurityLog } from './limits/security-log.js';
import { TokenBuckets } from './limits/token-buckets.js';
import { buildModuleRegistry, type ModuleRegistry, type RegisteredPurpose } from './modules/module-registry.js';
import { ModuleRouter } from './modules/module-router.js';
import { notificationFeedFor, type NotificationFeed } from './notifications/notification-feed.js';
import { ReaderDirectory } from './readers/reader-directory.js';
import { ReaderGate } from './readers/reader-gate.js';
import type { ReaderRecord } from './readers/reader-record.js';
import { ChallengeCache } from './taps/challenge-cache.js';
import { ChallengeStore } from './taps/challenge-store.js';
import { TapPurgeScheduler } from './taps/purge-scheduler.js';
import { DecisionKeys } from './tokens/decision-keys.js';
import { CardStatusDirectory } from './verification/card-status.js';
import { CertificateViews } from './verification/certificate-views.js';
import { TrustStore, type ExternalAnchor, type TrustMaterial } from './verification/trust-store.js';

/**
 * Everything the auth service keeps per platform process: settings, the LISTEN feed and the
 * caches it invalidates (readers, card status, trust, signing key), rate limits, the module
 * registry and router, metrics. Built once per ServiceContext.
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
  readonly router: ModuleRouter;
  readonly moduleContexts: ReadonlyMap<string, ModuleContext>;
  readonly certificates: CertificateViews;
  readonly trust: TrustStore;
  readonly cards: CardStatusDirectory;
  readonly cardBuckets = new TokenBuckets();
  readonly challengeStore: ChallengeStore;
  readonly challengeCache = new ChallengeCache();
  readonly tokenKeys: DecisionKeys;
  /** The trust anchors of other organisations, as the trust store loads them. */
  readonly externalAnchors: () => Promise<ExternalAnchor[]>;
  readonly crlRefresher: AnchorCrlRefresher;
  /** The daily tap purge; undefined when TESSERA_TAP_PURGE_AT is 'off'. */
  readonly tapPurge: TapPurgeScheduler | undefined;
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
    this.moduleContexts = new Map(
      this.registry.enabledModules.map((m): [string, ModuleContext] => [m.name, {
        module: m.name,
        knex: this.knex,
        logger: ctx.logger.child({ module: m.name }),
        now: ctx.now,
        timeZone: ctx.config.timeZone,
        secrets: ctx.secrets,
        config: ctx.config,
      }]),
    );
    this.router = new ModuleRouter(this.moduleContexts, this.metrics, this.logger, {
      timeBudgetMs: this.settings.moduleTimeBudgetMs,
      concurrency: this.settings.moduleConcurrency,
    });
    this.challengeStore = new ChallengeStore(ctx.db);
    this.certificates = new CertificateViews(this.knex);
    this.externalAnchors = () => loadExternalAnchors(this.knex, this.logger);
    this.crlRefresher = new AnchorCrlRefresher(this.knex, ctx.now, this.logger);
    const purgeAt = ctx.config.tapPurgeAt;
    this.tapPurge =
      purgeAt === 'off'
        ? undefined
        : new TapPurgeScheduler({ db: ctx.db, at: purgeAt, timeZone: ctx.config.timeZone, retentionDays: ctx.config.tapRetentionDays, now: ctx.now, logger: this.logger, metrics: this.metrics });
    this.trust = new TrustStore(() => this.#loadTrust(), this.feed);
    this.cards = new CardStatusDirectory(this.knex, this.feed);
    this.tokenKeys = new DecisionKeys(this.knex, ctx.secrets, ctx.now, this.feed);
  }

  /** The purposes a reader may ask for: the platform's own, and those of the module it serves. */
  purposesFor(reader: Pick<ReaderRecord, 'module'>): RegisteredPurpose[] {
    return [...this.registry.purposes.values()].filter((p) => p.module === undefined || p.module.name === reader.module);
  }

  /** Starts listening; until then (and whenever the feed is down) caches are bypassed. */
  start(): Promise<void> {
    this.#started ??= this.feed.start().then(() => {
      this.crlRefresher.start();
      this.tapPurge?.start();
      // Fetch what is due now rather than in five minutes; failures are logged, and fail closed.
      void this.crlRefresher.runOnce().catch((error: unknown) => this.logger.warn({ err: (error as Error).message }, 'trust anchor CRL refresh failed'));
    });
    return this.#started;
  }

  async close(): Promise<void> {
    await this.crlRefresher.stop();
    await this.tapPurge?.stop();
    await this.feed.close();
  }

  async #loadTrust(): Promise<TrustMaterial> {
    const authorities = await pkiFor(this.ctx).authorities();
    return {
      platform: {
        anchors: authorities.filter((a) => a.role === 'root').map((a) => a.certificate),
        intermediates: authorities.filter((a) => a.role !== 'root').map((a) => a.certificate),
      },
      external: await this.externalAnchors(),
    };
  }
}
