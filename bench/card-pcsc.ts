/**
 * PC/SC side of bench/card.ts: make sure pcscd runs (start `pcscd -f` as a child if not), serve a
 * card on a vpcd slot in this process, and open the reader with the `pcsclite` package.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import type { SimulatedCard } from '../card-applets-sim/simulated-card.js';
import { VpcdBridge } from '../card-applets-sim/vpcd/vpcd-bridge.js';

interface Reader {
  name: string;
  SCARD_SHARE_SHARED: number;
  SCARD_PROTOCOL_T1: number;
  SCARD_STATE_PRESENT: number;
  SCARD_LEAVE_CARD: number;
  on(event: 'status', listener: (status: { state: number }) => void): void;
  on(event: 'error', listener: (err: Error) => void): void;
  connect(options: { share_mode: number; protocol: number }, cb: (err: unknown, protocol: number) => void): void;
  transmit(data: Buffer, resLen: number, protocol: number, cb: (err: unknown, response: Buffer) => void): void;
  disconnect(disposition: number, cb: (err: unknown) => void): void;
  close(): void;
}
interface Pcsc {
  on(event: 'reader', listener: (reader: Reader) => void): void;
  on(event: 'error', listener: (err: Error) => void): void;
  close(): void;
}

export interface PcscSession {
  readonly bridge: VpcdBridge;
  transmit(apdu: Buffer): Promise<Buffer>;
  close(): Promise<void>;
}

function pcscdRunning(): boolean {
  return spawnSync('pgrep', ['-x', 'pcscd']).status === 0;
}

/** Start pcscd in the foreground as our child when none runs; null when we did not start one. */
export async function ensurePcscd(): Promise<ChildProcess | null> {
  if (pcscdRunning()) return null;
  const child = spawn('pcscd', ['-f'], { stdio: 'ignore' });
  await new Promise<void>((resolve, reject) => {
    child.once('error', reject);
    setTimeout(resolve, 1500); // pcscd needs a moment to load the vpcd driver and listen
  });
  return child;
}

export async function stopPcscd(child: ChildProcess | null): Promise<void> {
  if (!child || child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

/** Serve `card` on the vpcd port and connect to its reader through pcscd. */
export async function openPcscSession(card: SimulatedCard, port: number, readerName: string): Promise<PcscSession> {
  const pcsc = (createRequire(import.meta.url)('pcsclite') as () => Pcsc)();
  const bridge = new VpcdBridge(card, { port, warn: (m) => process.stderr.write(`${m}\n`) });
  bridge.start();
  const opening = new Promise<{ reader: Reader; protocol: number }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`reader "${readerName}" with a card did not appear within 15 s`)), 15000);
    pcsc.on('error', reject);
    pcsc.on('reader', (reader) => {
      if (reader.name !== readerName) return;
      reader.on('error', reject);
      let connecting = false;
      reader.on('status', (status) => {
        if (connecting || !(status.state & reader.SCARD_STATE_PRESENT)) return;
        connecting = true;
        reader.connect({ share_mode: reader.SCARD_SHARE_SHARED, protocol: reader.SCARD_PROTOCOL_T1 }, (err, protocol) => {
          clearTimeout(timer);
          if (err) reject(err instanceof Error ? err : new Error(String(err)));
          else resolve({ reader, protocol });
        });
      });
    });
  });
  let connected: { reader: Reader; protocol: number };
  try {
    connected = await opening;
  } catch (err) {
    pcsc.close();
    await bridge.stop();
    throw err;
  }
  const { reader, protocol } = connected;
  return {
    bridge,
    transmit: (apdu) => new Promise((resolve, reject) => {
      reader.transmit(apdu, 258, protocol, (err, response) => (err ? reject(err instanceof Error ? err : new Error(String(err))) : resolve(response)));
    }),
    close: async () => {
      await new Promise<void>((resolve) => reader.disconnect(reader.SCARD_LEAVE_CARD, () => resolve()));
      reader.close();
      pcsc.close();
      await bridge.stop();
    },
  };
}
