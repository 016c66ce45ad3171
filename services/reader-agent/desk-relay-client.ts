import { CardRemovedError } from '../../shared/piv/index.js';
import type { CardConnection, ReaderProvider } from '../../shared/readers/index.js';
import { backoffDelay, DEFAULT_BACKOFF, sleep } from './backoff.js';
import type { PlatformClient, RelayExchange } from './platform-client.js';

/** A session the platform opened and then went quiet on is closed after this long. */
const IDLE_SESSION_MS = 120_000;
const POLL_SECONDS = 25;

export interface RelayEvents {
  /** Called before a session opens: the agent stops (and waits out) a tap of its own on the card. */
  beforeSession(): Promise<void>;
  onSession(open: boolean): void;
  onError(error: unknown): void;
}

/**
 * The desk role's relay (ARCHITECTURE.md, "Driving a card at a desk"): long-polls the platform
 * for card commands and forwards each to the card in the local reader, byte for byte, without
 * understanding any of them. The platform holds the management key and the PUK; they pass
 * through here only inside APDUs. While a session is open the agent makes no taps of its own.
 */
export class DeskRelayClient {
  #connection: CardConnection | undefined;
  #lastCommandAt = 0;
  #stopped = new AbortController();
  #loop: Promise<void> | undefined;

  constructor(
    private readonly provider: ReaderProvider,
    private readonly reader: string,
    private readonly client: PlatformClient,
    private readonly events: RelayEvents,
  ) {}

  get inSession(): boolean {
    return this.#connection !== undefined;
  }

  start(): void {
    this.#loop ??= this.#run();
  }

  async stop(): Promise<void> {
    this.#stopped.abort(new Error('agent stopping'));
    await this.#loop?.catch(() => undefined);
    await this.#release();
  }

  async #run(): Promise<void> {
    const signal = this.#stopped.signal;
    let failures = 0;
    while (!signal.aborted) {
      try {
        if (this.#connection && Date.now() - this.#lastCommandAt > IDLE_SESSION_MS) await this.#release();
        const exchange = await this.client.nextRelayExchange(POLL_SECONDS, signal);
        failures = 0;
        if (exchange) await this.#handle(exchange, signal);
      } catch (error) {
        if (signal.aborted) return;
        this.events.onError(error);
        await sleep(backoffDelay(DEFAULT_BACKOFF, failures++), signal).catch(() => undefined);
      }
    }
  }

  async #handle(exchange: RelayExchange, signal: AbortSignal): Promise<void> {
    this.#lastCommandAt = Date.now();
    const reply = (answer: Parameters<PlatformClient['answerRelayExchange']>[1]) => this.client.answerRelayExchange(exchange.id, answer, signal);
    if (exchange.kind === 'open') {
      await this.#release();
      await this.events.beforeSession();
      try {
        this.#connection = await this.provider.connect(this.reader, { exclusive: true });
      } catch (error) {
        await reply({ error: error instanceof CardRemovedError ? 'no_card' : 'reader_error', message: (error as Error).message });
        return;
      }
      this.events.onSession(true);
      await reply({ atr: Buffer.from(this.#connection.atr).toString('base64') });
      return;
    }
    if (exchange.kind === 'close') {
      await this.#release();
      await reply({});
      return;
    }
    const connection = this.#connection;
    if (!connection || !exchange.command) {
      await reply({ error: 'no_card', message: 'no session is open' });
      return;
    }
    let response: Uint8Array;
    try {
      response = await connection.transmit(Buffer.from(exchange.command, 'base64'));
    } catch (error) {
      await this.#release();
      await reply({ error: error instanceof CardRemovedError ? 'card_removed' : 'reader_error', message: (error as Error).message });
      return;
    }
    await reply({ response: Buffer.from(response).toString('base64') });
  }

  async #release(): Promise<void> {
    const connection = this.#connection;
    if (!connection) return;
    this.#connection = undefined;
    // Reset: the next session (or tap) must not inherit a verified PIN or management-key state.
    await connection.disconnect('reset').catch(() => undefined);
    this.events.onSession(false);
  }
}
