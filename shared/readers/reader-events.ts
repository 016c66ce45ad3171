import { EventEmitter } from 'node:events';
import type { ReaderEvent, ReaderEventMap, ReaderListener } from './reader-provider.js';

/**
 * The typed event surface shared by the providers. An `error` with no listener is dropped
 * rather than thrown (Node's default), because it arrives from a native thread where a throw
 * would take the process down; callers that care subscribe to it.
 */
export abstract class ReaderEvents {
  readonly #emitter = new EventEmitter();

  on<E extends ReaderEvent>(event: E, listener: ReaderListener<E>): this {
    this.#emitter.on(event, listener);
    return this;
  }

  off<E extends ReaderEvent>(event: E, listener: ReaderListener<E>): this {
    this.#emitter.off(event, listener);
    return this;
  }

  once<E extends ReaderEvent>(event: E, listener: ReaderListener<E>): this {
    this.#emitter.once(event, listener);
    return this;
  }

  protected emit<E extends ReaderEvent>(event: E, payload: ReaderEventMap[E]): void {
    if (event === 'error' && this.#emitter.listenerCount('error') === 0) return;
    this.#emitter.emit(event, payload);
  }

  protected removeAllListeners(): void {
    this.#emitter.removeAllListeners();
  }
}
