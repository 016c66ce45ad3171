import { randomUUID } from 'node:crypto';
import type { CardChannel } from '../../../shared/card/card-channel.js';
import { decideOffline, presenceAfter, verifyAllowList, type AllowList, type Presence } from '../../modules/access/index.js';
import { tapCard } from '../card-tap.js';
import type { PinSource } from '../pin-source.js';
import { PlatformError, PlatformUnreachableError, type Decision, type PlatformClient } from '../platform-client.js';
import type { DoorSensor, LockOutput } from './door-hardware.js';
import type { DoorPlatform } from './door-platform.js';
import { DoorWatch } from './door-watch.js';
import { checkCardLocally } from './local-card-check.js';
import type { OfflineCache } from './offline-cache.js';

export interface DoorDecision {
  readonly decision: 'granted' | 'denied';
  readonly reason: string;
  /** Decided here from the allow-list because the platform could not be reached. */
  readonly offline: boolean;
  /** The platform's decision (with its token) when it was reachable. */
  readonly platform?: Decision;
}

export interface DoorControllerOptions {
  /** This reader's id (GET /v1/readers/self): every allow-list names the reader it is for. */
  readonly readerId: string;
  /** The tap path (POST /v1/taps ...); give it a short backoff, a door cannot wait for retries. */
  readonly client: PlatformClient;
  readonly platform: DoorPlatform;
  readonly cache: OfflineCache;
  readonly lock: LockOutput;
  readonly sensor: DoorSensor;
  readonly pins: PinSource;
  readonly now?: () => Date;
  /** How long a grant releases the lock (default 5 s). */
  readonly unlockSeconds?: number;
}

/**
 * The reader agent's door role: each card goes through the platform's tap (online), or, when
 * the platform cannot be reached, through the controller's own challenge-response and the
 * signed allow-list (offline, same rules); a grant releases the lock; the door sensor's forced,
 * held-open and closed events, and every offline decision, queue for upload. sync() fetches a
 * fresh allow-list and uploads the queue; run it every `refreshSeconds` of the list.
 */
export class DoorController {
  readonly watch: DoorWatch;
  #list: AllowList | undefined;
  readonly #presence = new Map<string, Presence>();
  readonly #now: () => Date;

  constructor(private readonly options: DoorControllerOptions) {
    this.#now = options.now ?? (() => new Date());
    this.watch = new DoorWatch(options.sensor, options.lock, (event) => this.#queue({ kind: event.kind, at: event.at }));
  }

  /** The verified allow-list in use (from the last sync, or from the cache at start-up). */
  get allowList(): AllowList | undefined {
    return this.#list;
  }

  /** Loads and verifies the cached allow-list (after a restart without the platform). */
  async loadCached(): Promise<void> {
    const { allowList, keys } = this.options.cache;
    if (!allowList || !keys) return;
    this.#list = await verifyAllowList(allowList, keys, this.options.readerId);
    this.watch.heldOpenSeconds = this.#list.door.heldOpenSeconds;
  }

  /** Fetches and verifies a fresh allow-list, then uploads queued events. Throws PlatformUnreachableError when offline. */
  async sync(): Promise<{ refreshSeconds: number; uploaded: number }> {
    const [fetched, keys] = await Promise.all([this.options.platform.allowList(), this.options.platform.keys()]);
    const list = await verifyAllowList(fetched.allowList, keys, this.options.readerId);
    this.options.cache.storeAllowList(fetched.allowList, keys);
    this.#list = list;
    this.watch.heldOpenSeconds = list.door.heldOpenSeconds;
    return { refreshSeconds: list.refreshSeconds, uploaded: await this.flush() };
  }

  /** Uploads the queued events; keeps them when the platform cannot be reached. */
  async flush(): Promise<number> {
    const pending = [...this.options.cache.pending];
    if (pending.length === 0) return 0;
    await this.options.platform.uploadEvents(pending);
    this.options.cache.uploaded(pending.map((e) => e.key));
    return pending.length;
  }

  /** One card presented at the door. */
  async present(channel: CardChannel, signal: AbortSignal = AbortSignal.timeout(30_000)): Promise<DoorDecision> {
    const purpose = this.#list?.door.requiresPin ? 'door.open-pin' : 'door.open';
    let decision: DoorDecision;
    try {
      const online = await tapCard(channel, this.options.client, { purpose }, this.options.pins, signal);
      decision = { decision: online.decision, reason: online.reason ?? online.decision, offline: false, platform: online };
    } catch (error) {
      if (!unreachable(error)) throw error;
      decision = await this.#decideOffline(channel, signal);
    }
    if (decision.decision === 'granted') this.options.lock.release(new Date(this.#now().getTime() + (this.options.unlockSeconds ?? 5) * 1000));
    return decision;
  }

  async #decideOffline(channel: CardChannel, signal: AbortSignal): Promise<DoorDecision> {
    const at = this.#now();
    const list = this.#list;
    if (!list) {
      // Never synced: nothing to decide from, so the door stays shut.
      this.#queue({ kind: 'denied', at, reason: 'no_allow_list', offline: true });
      return { decision: 'denied', reason: 'no_allow_list', offline: true };
    }
    const card = await checkCardLocally(channel, { slot: list.door.requiresPin ? '9A' : '9E', readerId: this.options.readerId, pins: this.options.pins, signal });
    if (!card.ok) {
      this.#queue({ kind: 'denied', at, reason: card.reason, offline: true });
      return { decision: 'denied', reason: card.reason, offline: true };
    }
    const { verdict, cardholderId } = decideOffline(list, card, at, presenceOf(this.#presence, list, card.fingerprint));
    if (verdict.decision === 'granted' && cardholderId) this.#presence.set(cardholderId, presenceAfter(list.direction));
    this.#queue({ kind: verdict.decision, at, reason: verdict.reason, cardholderId, offline: true });
    return { decision: verdict.decision, reason: verdict.reason, offline: true };
  }

  #queue(event: { kind: 'granted' | 'denied' | 'held_open' | 'forced' | 'closed'; at: Date; reason?: string; cardholderId?: string | null; offline?: boolean }): void {
    this.options.cache.queue({
      key: randomUUID(),
      kind: event.kind,
      at: event.at.toISOString(),
      ...(event.reason ? { reason: event.reason } : {}),
      ...(event.cardholderId ? { cardholderId: event.cardholderId } : {}),
      ...(event.offline ? { offline: true } : {}),
    });
  }
}

/** What this controller itself last saw of the cardholder behind a certificate (offline anti-passback). */
function presenceOf(presence: ReadonlyMap<string, Presence>, list: AllowList, fingerprint: string): Presence {
  const holder = list.credentials.find((c) => c.fingerprint === fingerprint)?.cardholderId;
  return (holder === undefined ? undefined : presence.get(holder)) ?? 'unknown';
}

function unreachable(error: unknown): boolean {
  return error instanceof PlatformUnreachableError || (error instanceof PlatformError && error.status >= 500);
}
