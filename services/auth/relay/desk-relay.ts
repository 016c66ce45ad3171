import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import type { CardChannel } from '../../../shared/card/card-channel.js';
import { TesseraError } from '../../../shared/errors/index.js';
import { CardRemovedError, ReaderError } from '../../../shared/piv/index.js';
import type { SealedBox } from '../../../shared/secrets/index.js';
import type { NotificationFeed } from '../notifications/notification-feed.js';
import { RELAY_ANSWER_CHANNEL, RELAY_COMMAND_CHANNEL, RelayStore, type ClaimedExchange, type ExchangeKind } from './relay-store.js';
import { WakeUps } from './wake-ups.js';

/** How long an agent has to pick up the opening of a session before the desk counts as offline. */
const OPEN_TIMEOUT_MS = 10_000;
/** A card may take long over one command (RSA key generation on a real card: tens of seconds). */
const COMMAND_TIMEOUT_MS = 90_000;
/** Fallback polling while notifications are down, and the longest a waiter sleeps between checks. */
const POLL_MS = 250;

export interface RelaySettings {
  readonly openTimeoutMs?: number;
  readonly commandTimeoutMs?: number;
}

/**
 * The platform's end of the desk relay (ARCHITECTURE.md, "Driving a card at a desk"): it sends
 * card commands to a desk reader's agent and waits for the answers, through the
 * reader_relay_exchanges queue, so the agent's long poll and the issuance that drives the card
 * may run on different platform processes.
 */
export class DeskRelay {
  readonly #store: RelayStore;
  readonly #commands = new WakeUps();
  readonly #answers = new WakeUps();

  constructor(
    knex: Knex,
    secrets: SealedBox,
    private readonly feed: NotificationFeed,
    private readonly now: () => Date,
    private readonly settings: RelaySettings = {},
  ) {
    this.#store = new RelayStore(knex, secrets);
    feed.subscribe(RELAY_COMMAND_CHANNEL, (readerId) => this.#commands.wake(readerId));
    feed.subscribe(RELAY_ANSWER_CHANNEL, (exchangeId) => this.#answers.wake(exchangeId));
  }

  /**
   * Opens a card session at the desk reader `readerId`: the agent connects to the card in its
   * reader (exclusively) and answers with the ATR. ERR_RELAY_DESK_OFFLINE when no agent picks
   * it up in time; CardRemovedError when the reader is empty.
   */
  async open(readerId: string): Promise<RelayedCardChannel> {
    const sessionId = randomUUID();
    const answer = await this.#exchange(readerId, sessionId, 'open', null, this.settings.openTimeoutMs ?? OPEN_TIMEOUT_MS, 'ERR_RELAY_DESK_OFFLINE');
    return new RelayedCardChannel(this, readerId, sessionId, answer ?? new Uint8Array(0));
  }

  /** One command of a session; the card's full response APDU. */
  transmit(readerId: string, sessionId: string, command: Uint8Array): Promise<Uint8Array> {
    return this.#exchange(readerId, sessionId, 'apdu', command, this.settings.commandTimeoutMs ?? COMMAND_TIMEOUT_MS, 'ERR_RELAY_TIMEOUT').then((r) => r ?? new Uint8Array(0));
  }

  /** Ends a session: the agent resets the card and releases the reader. */
  async close(readerId: string, sessionId: string): Promise<void> {
    await this.#exchange(readerId, sessionId, 'close', null, this.settings.openTimeoutMs ?? OPEN_TIMEOUT_MS, 'ERR_RELAY_TIMEOUT').catch(() => undefined);
  }

  /** The agent's long poll: the reader's next command, waiting up to `waitMs` for one. */
  nextFor(readerId: string, waitMs: number, signal?: AbortSignal): Promise<ClaimedExchange | undefined> {
    return this.#commands.until(readerId, () => this.#store.claim(readerId, this.now()), { timeoutMs: waitMs, pollMs: this.feed.healthy ? 5_000 : POLL_MS, ...(signal ? { signal } : {}) });
  }

  /** The agent's answer to one command. */
  async answer(readerId: string, exchangeId: string, answer: { response?: Uint8Array; error?: string }): Promise<void> {
    if (!(await this.#store.answer(readerId, exchangeId, answer, this.now()))) {
      throw new TesseraError('ERR_RELAY_EXCHANGE_NOT_FOUND', `No card command ${exchangeId} is waiting for this reader`);
    }
  }

  async #exchange(readerId: string, sessionId: string, kind: ExchangeKind, command: Uint8Array | null, timeoutMs: number, timeoutCode: 'ERR_RELAY_DESK_OFFLINE' | 'ERR_RELAY_TIMEOUT'): Promise<Uint8Array | null> {
    const id = await this.#store.enqueue(readerId, sessionId, kind, command, this.now());
    const answer = await this.#answers.until(id, () => this.#store.takeAnswer(id), { timeoutMs, pollMs: this.feed.healthy ? 2_000 : POLL_MS });
    if (!answer) {
      await this.#store.withdraw(id);
      throw new TesseraError(timeoutCode, `The desk reader did not answer the ${kind} command within ${timeoutMs} ms`);
    }
    if (answer.status === 'failed') {
      if (answer.error === 'card_removed' || answer.error === 'no_card') throw new CardRemovedError(`the card left desk reader (${answer.error})`);
      throw new ReaderError(`the desk reader failed: ${answer.error}`);
    }
    return answer.response;
  }
}

/** A CardChannel to the card in a desk reader, through its agent: what issuance drives (a DeskSession's transmit). */
export class RelayedCardChannel implements CardChannel {
  #closed = false;

  constructor(
    private readonly relay: DeskRelay,
    readonly readerId: string,
    readonly sessionId: string,
    readonly atr: Uint8Array,
  ) {}

  transmit(command: Uint8Array): Promise<Uint8Array> {
    if (this.#closed) return Promise.reject(new CardRemovedError('the relayed session is closed'));
    return this.relay.transmit(this.readerId, this.sessionId, command);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.relay.close(this.readerId, this.sessionId);
  }
}
