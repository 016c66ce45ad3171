import { EventEmitter } from 'node:events';
import type { PcscLiteContext, PcscLiteFactory, PcscLiteReader, PcscLiteStatus } from '../../../shared/readers/pcsc/pcsclite-types.js';

/** pcsc-lite reader state bits (pcsclite.h). */
export const STATE = { EMPTY: 0x10, PRESENT: 0x20, MUTE: 0x200, CHANGED: 0x02 } as const;

type Handler = (apdu: Buffer, protocol: number) => Buffer | Error;

/** A reader as node-pcsclite 1.0 presents it, driven by the test. */
export class FakeReader extends EventEmitter implements PcscLiteReader {
  readonly SCARD_SHARE_SHARED = 2;
  readonly SCARD_SHARE_EXCLUSIVE = 1;
  readonly SCARD_PROTOCOL_T0 = 1;
  readonly SCARD_PROTOCOL_T1 = 2;
  readonly SCARD_STATE_PRESENT = STATE.PRESENT;
  readonly SCARD_STATE_MUTE = STATE.MUTE;
  readonly SCARD_LEAVE_CARD = 0;
  readonly SCARD_RESET_CARD = 1;
  readonly SCARD_UNPOWER_CARD = 2;
  connected = false;
  closed = false;
  readonly connects: { share_mode: number; protocol: number }[] = [];
  readonly disconnects: number[] = [];
  /** Protocols the "card" accepts. */
  protocols = [1, 2];
  handler: Handler = () => Buffer.from([0x90, 0x00]);

  constructor(readonly name: string) {
    super();
  }

  status(state: number, atr?: number[]): void {
    const status: PcscLiteStatus = atr ? { state, atr: Buffer.from(atr) } : { state };
    this.emit('status', status);
  }

  connect(options: { share_mode: number; protocol: number }, cb: (err: Error | null | undefined, protocol: number) => void): void {
    this.connects.push(options);
    const chosen = this.protocols.find((p) => (options.protocol & p) !== 0);
    setImmediate(() => {
      if (chosen === undefined) return cb(new Error('SCardConnect error: Card protocol mismatch.(0x8010000f)'), 0);
      this.connected = true;
      cb(undefined, chosen);
    });
  }

  disconnect(disposition: number, cb: (err: Error | null | undefined) => void): void {
    this.disconnects.push(disposition);
    this.connected = false;
    setImmediate(() => cb(undefined));
  }

  transmit(data: Buffer, _length: number, protocol: number, cb: (err: Error | null | undefined, response: Buffer) => void): void {
    const answer = this.handler(data, protocol);
    setImmediate(() => (answer instanceof Error ? cb(answer, Buffer.alloc(0)) : cb(undefined, answer)));
  }

  close(): void {
    this.closed = true;
    setImmediate(() => this.emit('end'));
  }
}

export class FakeContext extends EventEmitter implements PcscLiteContext {
  closed = false;
  constructor(private readonly readers: FakeReader[]) {
    super();
  }
  start(callback: (err: Error | null | undefined, readers: Buffer) => void): void {
    setImmediate(() => {
      callback(undefined, Buffer.from(this.readers.map((r) => `${r.name}\0`).join('') + '\0'));
    });
  }
  close(): void {
    this.closed = true;
  }
}

/**
 * A pcsclite factory that behaves like node-pcsclite's wrapper: start() runs on the next tick,
 * each reader is announced with 'reader' and then reports its first status.
 */
export function fakePcscLite(readers: FakeReader[], initial: Record<string, { state: number; atr?: number[] }>) {
  const contexts: FakeContext[] = [];
  const factory: PcscLiteFactory = () => {
    const context = new FakeContext(readers);
    contexts.push(context);
    process.nextTick(() =>
      context.start(() => {
        for (const reader of readers) {
          context.emit('reader', reader);
          const first = initial[reader.name] ?? { state: STATE.EMPTY };
          setImmediate(() => reader.status(first.state, first.atr));
        }
      }),
    );
    return context;
  };
  return { factory, contexts };
}
