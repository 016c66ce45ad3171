/**
 * The part of the `pcsclite` package (node-pcsclite 1.0) this provider uses, declared here so
 * the code type-checks without the optional native dependency installed.
 */
import type { EventEmitter } from 'node:events';

export interface PcscLiteStatus {
  readonly state: number;
  readonly atr?: Buffer;
}

export interface PcscLiteReader extends EventEmitter {
  readonly name: string;
  readonly connected: boolean;
  readonly SCARD_SHARE_SHARED: number;
  readonly SCARD_SHARE_EXCLUSIVE: number;
  readonly SCARD_PROTOCOL_T0: number;
  readonly SCARD_PROTOCOL_T1: number;
  readonly SCARD_STATE_PRESENT: number;
  readonly SCARD_STATE_MUTE: number;
  readonly SCARD_LEAVE_CARD: number;
  readonly SCARD_RESET_CARD: number;
  readonly SCARD_UNPOWER_CARD: number;
  connect(options: { share_mode: number; protocol: number }, callback: (err: Error | null | undefined, protocol: number) => void): void;
  disconnect(disposition: number, callback: (err: Error | null | undefined) => void): void;
  transmit(data: Buffer, responseLength: number, protocol: number, callback: (err: Error | null | undefined, response: Buffer) => void): void;
  close(): void;
}

export interface PcscLiteContext extends EventEmitter {
  start(callback: (err: Error | null | undefined, readers: Buffer) => void): void;
  close(): void;
}

export type PcscLiteFactory = () => PcscLiteContext;
