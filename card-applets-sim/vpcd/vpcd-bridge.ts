/**
 * Puts a simulated card into a vpcd slot of pcscd (digest §1). vpcd is the TCP server; we
 * connect to it (= card inserted) and answer its messages; closing the socket removes the card.
 * When pcscd goes away we reconnect with exponential backoff. One bridge per slot.
 */
import { EventEmitter } from 'node:events';
import { Socket } from 'node:net';
import { encodeFrame, FrameDecoder } from './framing.js';
import { rearmQuickAck } from './quick-ack.js';

/** The part of SimulatedCard the bridge drives. */
export interface VpcdCard {
  readonly atr: Uint8Array;
  powerOn(): void;
  powerOff(): void;
  reset(): void;
  transmit(apdu: Uint8Array): Uint8Array;
}

export interface VpcdBridgeOptions {
  host?: string;
  /** 35963 + slot number. */
  port?: number;
  reconnectMinMs?: number;
  reconnectMaxMs?: number;
  /** Re-arm TCP_QUICKACK after each read (needs the optional `sockopt` package). Default true. */
  quickAck?: boolean;
  warn?: (message: string) => void;
}

export const VPCD_DEFAULT_HOST = '127.0.0.1';
export const VPCD_BASE_PORT = 35963;

const CONTROL = { POWER_OFF: 0x00, POWER_ON: 0x01, RESET: 0x02, GET_ATR: 0x04 } as const;

export interface VpcdBridgeEvents {
  connected: [];
  disconnected: [];
  retrying: [delayMs: number, reason: string];
}

export class VpcdBridge extends EventEmitter<VpcdBridgeEvents> {
  readonly host: string;
  readonly port: number;
  private readonly card: VpcdCard;
  private readonly reconnectMinMs: number;
  private readonly reconnectMaxMs: number;
  /** Re-arm TCP_QUICKACK after each read; may be switched while connected. */
  quickAck: boolean;
  private readonly warn: (message: string) => void;
  private socket: Socket | null = null;
  private decoder = new FrameDecoder();
  private stopped = true;
  private isConnected = false;
  private retryDelay: number;
  private retryTimer: NodeJS.Timeout | null = null;

  constructor(card: VpcdCard, options: VpcdBridgeOptions = {}) {
    super();
    this.card = card;
    this.host = options.host ?? VPCD_DEFAULT_HOST;
    this.port = options.port ?? VPCD_BASE_PORT;
    this.reconnectMinMs = options.reconnectMinMs ?? 100;
    this.reconnectMaxMs = options.reconnectMaxMs ?? 5000;
    this.quickAck = options.quickAck ?? true;
    this.warn = options.warn ?? ((message) => process.emitWarning(message));
    this.retryDelay = this.reconnectMinMs;
  }

  get connected(): boolean {
    return this.isConnected;
  }

  /** Insert the card: connect now and keep reconnecting until stop(). */
  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.connect();
  }

  /** Remove the card: close the connection and stop reconnecting. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    const socket = this.socket;
    if (!socket || socket.destroyed) return;
    await new Promise<void>((resolve) => {
      socket.once('close', () => resolve());
      socket.destroy();
    });
  }

  private connect(): void {
    const socket = new Socket();
    this.socket = socket;
    this.decoder = new FrameDecoder();
    socket.setNoDelay(true);
    socket.on('connect', () => {
      this.isConnected = true;
      this.retryDelay = this.reconnectMinMs;
      if (this.quickAck) rearmQuickAck(socket, this.warn);
      this.emit('connected');
    });
    socket.on('data', (chunk: Buffer) => this.onData(socket, chunk));
    let failure = 'closed';
    socket.on('error', (err: NodeJS.ErrnoException) => { failure = err.code ?? err.message; });
    socket.on('close', () => this.onClose(socket, failure));
    socket.connect(this.port, this.host);
  }

  private onData(socket: Socket, chunk: Buffer): void {
    if (this.quickAck) rearmQuickAck(socket, this.warn);
    for (const payload of this.decoder.push(chunk)) {
      const reply = this.answer(payload);
      // One write per framed response: a split write would meet the peer's delayed ACK (G15).
      if (reply) socket.write(encodeFrame(reply));
    }
  }

  private answer(payload: Buffer): Uint8Array | null {
    if (payload.length === 1) {
      switch (payload[0]) {
        case CONTROL.POWER_OFF: this.card.powerOff(); return null;
        case CONTROL.POWER_ON: this.card.powerOn(); return null;
        case CONTROL.RESET: this.card.reset(); return null;
        case CONTROL.GET_ATR: return this.card.atr;
        default: return null; // unknown control message: vpcd expects no reply
      }
    }
    if (payload.length === 0) return null;
    return this.card.transmit(payload);
  }

  private onClose(socket: Socket, reason: string): void {
    if (this.socket !== socket) return;
    this.socket = null;
    const wasConnected = this.isConnected;
    this.isConnected = false;
    // Leaving the reader is a power loss for the card.
    this.card.powerOff();
    if (wasConnected) this.emit('disconnected');
    if (this.stopped) return;
    const delay = this.retryDelay;
    this.retryDelay = Math.min(this.retryDelay * 2, this.reconnectMaxMs);
    this.emit('retrying', delay, reason);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      if (!this.stopped) this.connect();
    }, delay);
  }
}
