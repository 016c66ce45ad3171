import type { ReaderProvider } from './reader-provider.js';

/**
 * Resolves with the ATR when `reader` reports a card (at once if one is already in), or rejects
 * with the signal's reason. Starts watching the provider if nobody has.
 */
export async function waitForCard(provider: ReaderProvider, reader: string, options: { signal?: AbortSignal } = {}): Promise<Uint8Array> {
  return waitFor(provider, reader, 'card-present', options.signal);
}

/** Resolves when `reader` reports that its card is gone (at once if it is empty). */
export async function waitForCardRemoval(provider: ReaderProvider, reader: string, options: { signal?: AbortSignal } = {}): Promise<void> {
  await waitFor(provider, reader, 'card-removed', options.signal);
}

async function waitFor(
  provider: ReaderProvider,
  reader: string,
  event: 'card-present' | 'card-removed',
  signal: AbortSignal | undefined,
): Promise<Uint8Array> {
  signal?.throwIfAborted();
  return new Promise<Uint8Array>((resolve, reject) => {
    const onEvent = (e: { reader: string; atr?: Uint8Array }) => {
      if (e.reader !== reader) return;
      cleanup();
      resolve(e.atr ?? new Uint8Array(0));
    };
    const onAbort = () => {
      cleanup();
      reject(signal?.reason);
    };
    const cleanup = () => {
      provider.off(event, onEvent);
      signal?.removeEventListener('abort', onAbort);
    };
    provider.on(event, onEvent);
    signal?.addEventListener('abort', onAbort, { once: true });
    // Subscribe first, then look: a change between the two cannot be missed.
    void provider
      .watch()
      .then(() => provider.listReaders())
      .then((readers) => {
        const info = readers.find((r) => r.name === reader);
        if (info === undefined) return;
        if (event === 'card-present' && info.cardPresent) onEvent({ reader, atr: info.atr ?? new Uint8Array(0) });
        if (event === 'card-removed' && !info.cardPresent) onEvent({ reader });
      })
      .catch((err: unknown) => {
        cleanup();
        reject(err);
      });
  });
}
