import { backoffDelay, DEFAULT_BACKOFF, sleep, withRetries, type BackoffPolicy } from './backoff.js';

/** The platform answered with a problem document (RFC 9457). */
export class PlatformError extends Error {
  constructor(
    readonly status: number,
    readonly code: string | undefined,
    message: string,
  ) {
    super(message);
    this.name = 'PlatformError';
  }
}

/** The platform could not be reached (connection refused, reset, timed out). */
export class PlatformUnreachableError extends Error {
  constructor(cause: unknown) {
    super(`the platform is unreachable: ${(cause as Error)?.message ?? String(cause)}`, { cause });
    this.name = 'PlatformUnreachableError';
  }
}

export interface PurposeInfo {
  readonly purpose: string;
  readonly minimumAssurance: 'card' | 'card+pin';
  readonly enabled: boolean;
  readonly maxPayloadBytes: number;
}

export interface ReaderSelf {
  readonly id: string;
  readonly name: string;
  readonly kind: string;
  readonly target: string | null;
  readonly module: string | null;
  readonly heartbeatSeconds: number;
  readonly challengeSeconds: number;
  readonly purposes: readonly PurposeInfo[];
}

export interface Challenge {
  readonly id: string;
  readonly challenge: string;
  readonly readerId: string;
  readonly purpose: string;
  readonly target: string;
  readonly slot: '9A' | '9E';
  readonly expiresAt: string;
  readonly maxPayloadBytes: number;
}

export interface Decision {
  readonly tapId: string;
  readonly decision: 'granted' | 'denied';
  readonly reason: string;
  readonly purpose: string | null;
  readonly target: string | null;
  readonly assurance: string | null;
  readonly cardholder: Record<string, string> | null;
  readonly display: Record<string, string | number | boolean>;
  readonly token: string;
}

export interface RelayExchange {
  readonly id: string;
  readonly kind: 'open' | 'apdu' | 'close';
  readonly command: string | null;
}

/** Retried: the platform is down, restarting, or overloaded for a moment. */
const retryable = (error: unknown) => error instanceof PlatformUnreachableError || (error instanceof PlatformError && [429, 502, 503, 504].includes(error.status));

/**
 * The reader side of docs/tap-protocol.md over HTTP, with the reader's credential. Calls that
 * are safe to repeat are retried with backoff while the platform is unreachable.
 */
export class PlatformClient {
  constructor(
    readonly baseUrl: string,
    private readonly credential: string,
    private readonly options: { timeoutMs?: number; backoff?: BackoffPolicy; onRetry?: (error: unknown, delayMs: number) => void } = {},
  ) {}

  self(signal?: AbortSignal, policy?: BackoffPolicy): Promise<ReaderSelf> {
    return this.#retrying(() => this.#call<ReaderSelf>('GET', '/v1/readers/self', undefined, signal), signal, policy);
  }

  heartbeat(beat: { firmwareVersion: string; configVersion: string; agentVersion?: string }, signal?: AbortSignal): Promise<unknown> {
    return this.#call('POST', '/v1/readers/self/heartbeat', beat, signal);
  }

  challenge(purpose: string, target: string | undefined, signal?: AbortSignal): Promise<Challenge> {
    return this.#retrying(() => this.#call<Challenge>('POST', '/v1/taps', { purpose, ...(target ? { target } : {}) }, signal), signal);
  }

  /**
   * Sends the answer. Retried only when it cannot have arrived (connection refused); after a
   * timeout it may have, and a second copy would only be refused as a replay.
   */
  answer(tapId: string, answer: { certificate: string; signature: string; payload?: string }, signal?: AbortSignal): Promise<Decision> {
    return withRetries(() => this.#call<Decision>('POST', `/v1/taps/${tapId}/response`, answer, signal), {
      policy: this.options.backoff ?? DEFAULT_BACKOFF,
      retryable: (error) => error instanceof PlatformUnreachableError && isRefused(error),
      ...(signal ? { signal } : {}),
    });
  }

  /** Waits (long poll) for the next card command the platform wants relayed; undefined when none came. */
  async nextRelayExchange(waitSeconds: number, signal?: AbortSignal): Promise<RelayExchange | undefined> {
    return this.#call<RelayExchange | undefined>('GET', `/v1/readers/self/relay?wait=${waitSeconds}`, undefined, signal, (waitSeconds + 10) * 1000);
  }

  answerRelayExchange(id: string, answer: { response?: string; atr?: string; error?: string; message?: string }, signal?: AbortSignal): Promise<unknown> {
    return this.#retrying(() => this.#call('POST', `/v1/readers/self/relay/${id}`, answer, signal), signal);
  }

  #retrying<T>(work: () => Promise<T>, signal: AbortSignal | undefined, policy?: BackoffPolicy): Promise<T> {
    return withRetries(work, {
      policy: policy ?? this.options.backoff ?? DEFAULT_BACKOFF,
      retryable,
      ...(signal ? { signal } : {}),
      onRetry: (error, _attempt, delay) => this.options.onRetry?.(error, delay),
    });
  }

  async #call<T>(method: string, path: string, body: unknown, signal: AbortSignal | undefined, timeoutMs = this.options.timeoutMs ?? 10_000): Promise<T> {
    const timeout = AbortSignal.timeout(timeoutMs);
    let response: Response;
    try {
      response = await fetch(`${this.baseUrl}${path}`, {
        method,
        headers: { authorization: `Bearer ${this.credential}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
        signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
      });
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      throw new PlatformUnreachableError(error);
    }
    const text = await response.text();
    if (response.status === 204) return undefined as T;
    const parsed = text ? (JSON.parse(text) as Record<string, unknown>) : {};
    if (!response.ok) throw new PlatformError(response.status, parsed.code as string | undefined, String(parsed.detail ?? parsed.title ?? response.statusText));
    return parsed as T;
  }
}

function isRefused(error: PlatformUnreachableError): boolean {
  const cause = (error.cause as { cause?: { code?: string } } | undefined)?.cause;
  return cause?.code === 'ECONNREFUSED';
}

export { backoffDelay, sleep };
