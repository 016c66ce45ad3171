import type { JWK } from 'jose';
import { PlatformError, PlatformUnreachableError } from '../platform-client.js';
import type { PendingDoorEvent } from './offline-cache.js';

/** The access module's routes a door controller calls, with the reader's own credential. */
export class DoorPlatform {
  constructor(
    private readonly baseUrl: string,
    private readonly credential: string,
    private readonly timeoutMs = 5_000,
  ) {}

  allowList(): Promise<{ allowList: string; expiresAt: string; refreshSeconds: number }> {
    return this.#call('GET', '/v1/access/allow-list');
  }

  keys(): Promise<{ keys: JWK[] }> {
    return this.#call('GET', '/v1/access/allow-list/keys');
  }

  uploadEvents(events: readonly PendingDoorEvent[]): Promise<{ stored: number; duplicates: number }> {
    return this.#call('POST', '/v1/access/door-events', { events });
  }

  async #call<T>(method: string, path: string, body?: unknown): Promise<T> {
    let response: Response;
    try {
      response = await fetch(`${this.baseUrl}${path}`, {
        method,
        headers: { authorization: `Bearer ${this.credential}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      throw new PlatformUnreachableError(error);
    }
    const text = await response.text();
    const parsed = text ? (JSON.parse(text) as Record<string, unknown>) : {};
    if (!response.ok) throw new PlatformError(response.status, parsed.code as string | undefined, String(parsed.detail ?? parsed.title ?? response.statusText));
    return parsed as T;
  }
}
