import { ReaderError, ReaderNotFoundError } from '../../piv/errors.js';
import { ReaderEvents } from '../reader-events.js';
import type { CardConnection, ReaderInfo, ReaderProvider } from '../reader-provider.js';
import { loadPcscLite } from './load-pcsclite.js';
import { PcscConnection, type ReaderSession } from './pcsc-connection.js';
import type { PcscLiteContext, PcscLiteFactory, PcscLiteReader, PcscLiteStatus } from './pcsclite-types.js';
import { cardErrorFromScard, SCARD, scardCodeOf } from './scard-errors.js';

export interface PcscProviderOptions {
  /** How to obtain the pcsclite factory; tests pass a fake. Default: the lazy native import. */
  readonly load?: () => Promise<PcscLiteFactory>;
  /** Give up if PC/SC has not reported the readers' first state by then. */
  readonly startTimeoutMs?: number;
}

interface TrackedReader extends ReaderSession {
  readonly native: PcscLiteReader;
  present: boolean;
  atr: Uint8Array | undefined;
  /** pcsc-lite counts card insertions and removals in the upper 16 bits of the reader state. */
  eventCounter: number | undefined;
  reported: () => void;
  readonly firstStatus: Promise<void>;
  connection: PcscConnection | undefined;
}

/**
 * Readers through PC/SC (pcscd on Linux): real CCID readers, or vpcd slots where a simulated
 * card is served. Card presence comes from pcsclite's per-reader status thread; a connection
 * uses T=1 (libykpiv and the PIV ATR expect it), falling back to T=0 for cards without T=1.
 */
export class PcscReaderProvider extends ReaderEvents implements ReaderProvider {
  readonly kind = 'pcsc' as const;
  readonly #load: () => Promise<PcscLiteFactory>;
  readonly #startTimeoutMs: number;
  readonly #readers = new Map<string, TrackedReader>();
  #context: PcscLiteContext | undefined;
  #started: Promise<void> | undefined;
  #watching = false;
  #closed = false;

  constructor(options: PcscProviderOptions = {}) {
    super();
    this.#load = options.load ?? loadPcscLite;
    this.#startTimeoutMs = options.startTimeoutMs ?? 10_000;
  }

  async listReaders(): Promise<ReaderInfo[]> {
    await this.#start();
    return [...this.#readers.values()].map((r) => ({ name: r.native.name, cardPresent: r.present, atr: r.atr }));
  }

  async watch(): Promise<void> {
    await this.#start();
    if (this.#watching) return;
    this.#watching = true;
    for (const r of this.#readers.values()) if (r.present) this.emit('card-present', { reader: r.native.name, atr: r.atr ?? new Uint8Array(0) });
  }

  async connect(reader: string, options: { exclusive?: boolean } = {}): Promise<CardConnection> {
    await this.#start();
    const tracked = this.#readers.get(reader);
    if (tracked === undefined) throw new ReaderNotFoundError(reader, [...this.#readers.keys()]);
    if (tracked.connection?.holdsCard) throw new ReaderError(`This process already holds a connection to "${reader}"; disconnect it first`);
    const native = tracked.native;
    // pcsclite keeps `connected` set after the card leaves; drop the stale handle first.
    if (native.connected) await new Promise<void>((resolve) => native.disconnect(native.SCARD_LEAVE_CARD, () => resolve()));
    const shareMode = options.exclusive ? native.SCARD_SHARE_EXCLUSIVE : native.SCARD_SHARE_SHARED;
    let protocol: number;
    try {
      protocol = await connectNative(native, shareMode, native.SCARD_PROTOCOL_T1);
    } catch (err) {
      if (scardCodeOf(err) !== SCARD.E_PROTO_MISMATCH) throw cardErrorFromScard(err, reader);
      protocol = await connectNative(native, shareMode, native.SCARD_PROTOCOL_T0).catch((e: unknown) => {
        throw cardErrorFromScard(e, reader);
      });
    }
    tracked.connection = new PcscConnection(tracked, protocol, tracked.atr ?? new Uint8Array(0));
    return tracked.connection;
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#watching = false;
    await this.#started?.catch(() => undefined);
    for (const r of this.#readers.values()) {
      const native = r.native;
      if (native.connected) await new Promise<void>((resolve) => native.disconnect(native.SCARD_RESET_CARD, () => resolve()));
      native.close();
    }
    this.#readers.clear();
    this.#context?.close();
    this.#context = undefined;
    this.removeAllListeners();
  }

  #start(): Promise<void> {
    if (this.#closed) return Promise.reject(new ReaderError('The PC/SC reader provider is closed'));
    this.#started ??= this.#open().catch((err: unknown) => {
      this.#started = undefined;
      this.#context?.close();
      this.#context = undefined;
      throw err;
    });
    return this.#started;
  }

  async #open(): Promise<void> {
    const factory = await this.#load();
    let context: PcscLiteContext;
    try {
      context = factory();
    } catch (err) {
      throw cardErrorFromScard(err, 'PC/SC');
    }
    this.#context = context;
    const listed = new Promise<void>((resolve, reject) => {
      // pcsclite calls start() on the next tick and gives no "readers listed" signal; wrapping
      // its callback tells us when the first reader list (and its 'reader' events) is through.
      const start = context.start.bind(context);
      context.start = (callback) =>
        start((err, names) => {
          callback(err, names);
          if (err) reject(cardErrorFromScard(err, 'PC/SC'));
          else resolve();
        });
    });
    context.on('reader', (native: PcscLiteReader) => this.#track(native));
    context.on('error', (err: unknown) => this.emit('error', cardErrorFromScard(err, 'PC/SC')));
    await this.#withinTimeout(listed);
    await this.#withinTimeout(Promise.all([...this.#readers.values()].map((r) => r.firstStatus)));
  }

  #track(native: PcscLiteReader): void {
    let reported!: () => void;
    const firstStatus = new Promise<void>((resolve) => (reported = resolve));
    const tracked: TrackedReader = {
      native,
      present: false,
      atr: undefined,
      eventCounter: undefined,
      epoch: 0,
      reported,
      firstStatus,
      connection: undefined,
    };
    this.#readers.set(native.name, tracked);
    native.on('status', (status: PcscLiteStatus) => this.#onStatus(tracked, status));
    native.on('error', (err: unknown) => this.emit('error', cardErrorFromScard(err, native.name)));
    native.on('end', () => this.#onReaderGone(tracked));
    if (this.#watching) this.emit('reader-added', { reader: native.name });
  }

  #onStatus(reader: TrackedReader, { state, atr }: PcscLiteStatus): void {
    const native = reader.native;
    const present = (state & native.SCARD_STATE_PRESENT) !== 0 && (state & native.SCARD_STATE_MUTE) === 0;
    const counter = (state >>> 16) & 0xffff;
    // Out and back in between two polls: same "present", new event count.
    const swapped = reader.present && present && reader.eventCounter !== undefined && counter !== reader.eventCounter;
    reader.eventCounter = counter;
    if (reader.present && (!present || swapped)) this.#cardGone(reader);
    if (present && !reader.present) {
      reader.present = true;
      reader.atr = atr === undefined ? new Uint8Array(0) : new Uint8Array(atr);
      if (this.#watching) this.emit('card-present', { reader: native.name, atr: reader.atr });
    }
    reader.reported();
  }

  #cardGone(reader: TrackedReader): void {
    reader.present = false;
    reader.atr = undefined;
    reader.epoch++;
    if (this.#watching) this.emit('card-removed', { reader: reader.native.name });
  }

  #onReaderGone(reader: TrackedReader): void {
    if (this.#closed) return;
    if (reader.present) this.#cardGone(reader);
    else reader.epoch++;
    this.#readers.delete(reader.native.name);
    reader.reported();
    if (this.#watching) this.emit('reader-removed', { reader: reader.native.name });
  }

  async #withinTimeout<T>(promise: Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new ReaderError(`PC/SC did not report the readers within ${this.#startTimeoutMs} ms; is pcscd responsive?`)),
        this.#startTimeoutMs,
      );
      timer.unref();
    });
    try {
      return await Promise.race([promise, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }
}

function connectNative(native: PcscLiteReader, shareMode: number, protocol: number): Promise<number> {
  return new Promise((resolve, reject) =>
    native.connect({ share_mode: shareMode, protocol }, (err, chosen) => (err ? reject(err) : resolve(chosen))),
  );
}
