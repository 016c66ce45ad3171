import { CardRemovedError, isCardError } from '../../shared/piv/index.js';
import type { ReaderProvider } from '../../shared/readers/index.js';
import { AGENT_ROLES, type AgentRole } from './agent-roles.js';
import { sleep } from './backoff.js';
import { tapCard } from './card-tap.js';
import { DeskRelayClient } from './desk-relay-client.js';
import type { DoorRole } from './door/index.js';
import { noPinPad, type PinSource } from './pin-source.js';
import { PlatformError, type Decision, type PlatformClient, type ReaderSelf } from './platform-client.js';

export type AgentEvent =
  | { readonly kind: 'ready'; readonly reader: ReaderSelf }
  | { readonly kind: 'card'; readonly atr: string }
  | { readonly kind: 'decision'; readonly decision: Decision }
  | { readonly kind: 'removed'; readonly duringTap: boolean }
  | { readonly kind: 'relay'; readonly open: boolean }
  | { readonly kind: 'retry'; readonly message: string; readonly delayMs: number }
  | { readonly kind: 'error'; readonly message: string; readonly code?: string | undefined };

export interface ReaderAgentOptions {
  readonly provider: ReaderProvider;
  /** The reader's name in the provider (a PC/SC reader name, or the simulated reader). */
  readonly reader: string;
  readonly client: PlatformClient;
  readonly role: AgentRole;
  /** Defaults to the role's purpose (agent-roles.ts). */
  readonly purpose?: string | undefined;
  readonly target?: string | undefined;
  readonly pins?: PinSource | undefined;
  /** The payload of each tap (a basket, an amount), when the purpose takes one. */
  readonly payload?: (() => Uint8Array | undefined) | undefined;
  readonly versions: { readonly firmwareVersion: string; readonly configVersion: string; readonly agentVersion: string };
  readonly onEvent: (event: AgentEvent) => void;
  /** The door role (lock, door sensor, offline allow-list): decides each card, offline too (docs/modules/access.md). */
  readonly door?: DoorRole | undefined;
}

/**
 * The edge client beside a reader (docs/reader-agent.md): on each card it makes one tap and
 * shows the decision; it reacts to the card leaving mid-way; it sends heartbeats; in the desk
 * role it also relays card commands for issuance. It keeps going while the platform is away,
 * retrying with backoff.
 */
export class ReaderAgent {
  readonly #stopped = new AbortController();
  #tap: AbortController | undefined;
  #tapDone: Promise<void> = Promise.resolve();
  #relay: DeskRelayClient | undefined;
  #heartbeat: NodeJS.Timeout | undefined;
  #self: ReaderSelf | undefined;
  readonly #onPresent = (e: { reader: string; atr: Uint8Array }) => {
    if (e.reader === this.options.reader) void this.#onCard(e.atr);
  };
  readonly #onRemoved = (e: { reader: string }) => {
    if (e.reader !== this.options.reader) return;
    const during = this.#tap !== undefined;
    this.#tap?.abort(new CardRemovedError());
    // The card is gone, so is its tap: the next card starts a new one even while this one winds down.
    this.#tap = undefined;
    this.options.onEvent({ kind: 'removed', duringTap: during });
  };

  constructor(private readonly options: ReaderAgentOptions) {}

  get purpose(): string {
    return this.options.purpose ?? AGENT_ROLES[this.options.role];
  }

  /** Learns who it is from the platform (waiting for it as long as it takes), then watches the reader. */
  async start(): Promise<ReaderSelf> {
    const signal = this.#stopped.signal;
    this.#self = await this.options.client.self(signal, { baseMs: 500, maxMs: 30_000, attempts: Infinity });
    this.options.onEvent({ kind: 'ready', reader: this.#self });
    this.#scheduleHeartbeat(0);
    await this.options.door?.start(this.#self.id);
    if (this.options.role === 'desk') {
      this.#relay = new DeskRelayClient(this.options.provider, this.options.reader, this.options.client, {
        beforeSession: async () => {
          this.#tap?.abort(new Error('the platform is taking the card for a desk operation'));
          await this.#tapDone;
        },
        onSession: (open) => this.options.onEvent({ kind: 'relay', open }),
        onError: (error) => this.options.onEvent({ kind: 'error', message: (error as Error).message }),
      });
      this.#relay.start();
    }
    this.options.provider.on('card-present', this.#onPresent);
    this.options.provider.on('card-removed', this.#onRemoved);
    this.options.provider.on('error', (error) => this.options.onEvent({ kind: 'error', message: error.message }));
    await this.options.provider.watch();
    return this.#self;
  }

  async stop(): Promise<void> {
    this.#stopped.abort(new Error('agent stopping'));
    this.#tap?.abort(new Error('agent stopping'));
    clearTimeout(this.#heartbeat);
    this.options.door?.stop();
    this.options.provider.off('card-present', this.#onPresent);
    this.options.provider.off('card-removed', this.#onRemoved);
    await this.#relay?.stop();
  }

  #onCard(atr: Uint8Array): Promise<void> {
    // One tap per card insertion; none while the platform drives the card through the relay.
    if (this.#tap || this.#relay?.inSession || this.#stopped.signal.aborted) return Promise.resolve();
    const controller = new AbortController();
    this.#tap = controller;
    this.#tapDone = this.#tapOnce(atr, controller);
    return this.#tapDone;
  }

  async #tapOnce(atr: Uint8Array, controller: AbortController): Promise<void> {
    this.options.onEvent({ kind: 'card', atr: Buffer.from(atr).toString('hex') });
    let connection;
    try {
      connection = await this.options.provider.connect(this.options.reader);
      const signal = AbortSignal.any([controller.signal, this.#stopped.signal]);
      const decision = this.options.door
        ? await this.options.door.present(connection, signal)
        : await tapCard(connection, this.options.client, { purpose: this.purpose, target: this.options.target, payload: this.options.payload?.() }, this.options.pins ?? noPinPad, signal);
      this.options.onEvent({ kind: 'decision', decision });
    } catch (error) {
      // The card left, the platform took it for a desk operation, or the agent is stopping: nothing to report.
      if (error instanceof CardRemovedError || controller.signal.aborted || this.#stopped.signal.aborted) return;
      const code = error instanceof PlatformError ? error.code : isCardError(error) ? error.code : undefined;
      this.options.onEvent({ kind: 'error', message: (error as Error).message, code });
    } finally {
      await connection?.disconnect('reset').catch(() => undefined);
      if (this.#tap === controller) this.#tap = undefined;
    }
  }

  #scheduleHeartbeat(delayMs: number): void {
    if (this.#stopped.signal.aborted) return;
    this.#heartbeat = setTimeout(() => {
      void this.options.client
        .heartbeat(this.options.versions, this.#stopped.signal)
        .catch((error: unknown) => {
          if (!this.#stopped.signal.aborted) this.options.onEvent({ kind: 'retry', message: `heartbeat failed: ${(error as Error).message}`, delayMs: this.#heartbeatMs() });
        })
        .finally(() => this.#scheduleHeartbeat(this.#heartbeatMs()));
    }, delayMs);
    this.#heartbeat.unref();
  }

  #heartbeatMs(): number {
    return (this.#self?.heartbeatSeconds ?? 30) * 1000;
  }
}

export { sleep };
