import type { CardChannel } from '../../../shared/card/card-channel.js';
import type { PinSource } from '../pin-source.js';
import { PlatformClient, type Decision } from '../platform-client.js';
import { DoorController } from './door-controller.js';
import { SimulatedDoorSensor, SimulatedLock, type DoorSensor, type LockOutput } from './door-hardware.js';
import { DoorPlatform } from './door-platform.js';
import { OfflineCache } from './offline-cache.js';

export interface DoorRoleOptions {
  readonly baseUrl: string;
  readonly credential: string;
  readonly pins: PinSource;
  /** Where the allow-list and unsent events are kept (default: memory only). */
  readonly cacheDirectory?: string | undefined;
  readonly lock?: LockOutput;
  readonly sensor?: DoorSensor;
  readonly onProblem?: (message: string) => void;
}

/** How soon to try again after a failed sync, at most. */
const RETRY_SECONDS = 30;

/**
 * The door role as the reader agent runs it (ReaderAgent's `door` option): started once the
 * agent knows its reader id, it keeps the allow-list fresh (every `refreshSeconds` of the list,
 * sooner after a failure), uploads queued events, checks the door for held-open every second,
 * and decides each card online or, when the platform is away, offline.
 */
export class DoorRole {
  readonly lock: LockOutput;
  readonly sensor: DoorSensor;
  #controller: DoorController | undefined;
  #tick: NodeJS.Timeout | undefined;
  #nextSync: NodeJS.Timeout | undefined;
  #stopped = false;

  constructor(private readonly options: DoorRoleOptions) {
    this.lock = options.lock ?? new SimulatedLock();
    this.sensor = options.sensor ?? new SimulatedDoorSensor();
  }

  get controller(): DoorController | undefined {
    return this.#controller;
  }

  async start(readerId: string): Promise<void> {
    const cache = new OfflineCache(this.options.cacheDirectory);
    const controller = new DoorController({
      readerId,
      // Its own client with a short backoff: a person is waiting at the door, offline must come quickly.
      client: new PlatformClient(this.options.baseUrl, this.options.credential, { timeoutMs: 3_000, backoff: { baseMs: 50, maxMs: 200, attempts: 2 } }),
      platform: new DoorPlatform(this.options.baseUrl, this.options.credential),
      cache,
      lock: this.lock,
      sensor: this.sensor,
      pins: this.options.pins,
    });
    this.#controller = controller;
    await controller.loadCached().catch((error: unknown) => this.options.onProblem?.(`cached allow-list refused: ${(error as Error).message}`));
    this.#tick = setInterval(() => controller.watch.check(new Date()), 1000);
    this.#tick.unref();
    await this.#sync();
  }

  stop(): void {
    this.#stopped = true;
    clearInterval(this.#tick);
    clearTimeout(this.#nextSync);
  }

  /** One card at the door, as the agent reports it: the platform's decision, or one made here offline. */
  async present(channel: CardChannel, signal: AbortSignal): Promise<Decision> {
    const controller = this.#controller;
    if (!controller) throw new Error('the door role has not started');
    const result = await controller.present(channel, signal);
    if (result.platform) return result.platform;
    return {
      tapId: 'offline',
      decision: result.decision,
      reason: result.reason,
      purpose: controller.allowList?.door.requiresPin ? 'door.open-pin' : 'door.open',
      target: controller.allowList?.door.name ?? null,
      assurance: null,
      cardholder: null,
      display: { offline: true },
      token: '',
    };
  }

  async #sync(): Promise<void> {
    if (this.#stopped || !this.#controller) return;
    let next = RETRY_SECONDS;
    try {
      next = (await this.#controller.sync()).refreshSeconds;
    } catch (error) {
      next = Math.min(RETRY_SECONDS, this.#controller.allowList?.refreshSeconds ?? RETRY_SECONDS);
      this.options.onProblem?.(`allow-list sync failed: ${(error as Error).message}`);
    }
    if (this.#stopped) return;
    this.#nextSync = setTimeout(() => void this.#sync(), next * 1000);
    this.#nextSync.unref();
  }
}
