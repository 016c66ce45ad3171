/**
 * Serves a fresh simulated card on a vpcd slot through the in-process bridge of
 * card-applets-sim, and waits until pcscd reports it. The bridge runs on this process's event
 * loop: drive middleware with async child_process calls only (execFile, spawn), never the
 * *Sync variants, or the card cannot answer and the tool hangs.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCardFile, SimulatedCard, VpcdBridge } from '../../card-applets-sim/index.js';
import { PcscReaderProvider, waitForCard, waitForCardRemoval } from '../../shared/readers/index.js';
import { VPCD_SLOTS } from './pcscd.js';

export interface ServedCard {
  readonly dir: string;
  readonly file: string;
  readonly slot: number;
  readonly port: number;
  /** The PC/SC reader name, e.g. "Virtual PCD 00 00". */
  readonly reader: string;
  readonly card: SimulatedCard;
  /** Take the card out of the reader and wait until pcscd reports it gone. */
  remove(): Promise<void>;
  /** Put it back and wait until pcscd reports it present. */
  insert(): Promise<void>;
  /** Remove the card and delete its temporary directory. */
  close(): Promise<void>;
}

export interface ServeOptions {
  readonly alg: 'rsa2048' | 'p256';
  /** 9A and 9E keys with self-signed certificates (default true). */
  readonly provision?: boolean;
  /** How long to wait for pcscd to see the card (default 15 s). */
  readonly timeoutMs?: number;
}

/**
 * A fresh card file in a temporary directory, inserted on the first vpcd slot whose reader is
 * empty: slot 0 preferred, slot 1 when 0 is taken (e.g. by a manual `tessera card serve`).
 */
export async function serveCardOnVpcd(options: ServeOptions): Promise<ServedCard> {
  const dir = mkdtempSync(join(tmpdir(), 'tessera-vpcd-'));
  const file = join(dir, 'card.json');
  createCardFile(file, { alg: options.alg, provision: options.provision ?? true });
  const card = SimulatedCard.fromFile(file);
  const timeoutMs = options.timeoutMs ?? 15_000;
  const watcher = new PcscReaderProvider();
  try {
    const readers = await watcher.listReaders();
    const free = VPCD_SLOTS.find((s) => readers.some((r) => r.name === s.reader && !r.cardPresent));
    if (free === undefined) {
      throw new Error(`no free vpcd slot: ${readers.map((r) => `${r.name}${r.cardPresent ? ' (card in)' : ''}`).join(', ')}`);
    }
    const bridge = new VpcdBridge(card, { port: free.port, reconnectMaxMs: 500, warn: () => undefined });
    let inserted = false;
    const insert = async () => {
      const present = waitForCard(watcher, free.reader, { signal: AbortSignal.timeout(timeoutMs) });
      inserted = true;
      bridge.start();
      await present;
    };
    const remove = async () => {
      const gone = waitForCardRemoval(watcher, free.reader, { signal: AbortSignal.timeout(timeoutMs) });
      inserted = false;
      await bridge.stop();
      await gone;
    };
    await insert();
    return {
      dir,
      file,
      slot: free.slot,
      port: free.port,
      reader: free.reader,
      card,
      insert,
      remove,
      close: async () => {
        // Wait for pcscd to see the slot empty, so the next fixture finds it free.
        if (inserted) await remove().catch(() => bridge.stop());
        await watcher.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    await watcher.close();
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
}
