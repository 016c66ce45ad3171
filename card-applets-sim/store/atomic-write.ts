/**
 * Crash-safe file replacement: write a temp file in the same directory, fsync it, rename it over
 * the target, then fsync the directory. A crash at any point leaves either the old or the new
 * file, never a torn one (rename is atomic within a POSIX filesystem).
 */
import * as fs from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';

/** The fs calls used, so tests can make one of them fail. */
export interface AtomicWriteIo {
  openSync: typeof fs.openSync;
  writeSync: (fd: number, buffer: Uint8Array, offset: number, length: number) => number;
  fsyncSync: typeof fs.fsyncSync;
  closeSync: typeof fs.closeSync;
  renameSync: typeof fs.renameSync;
  unlinkSync: typeof fs.unlinkSync;
}

export const nodeIo: AtomicWriteIo = {
  openSync: fs.openSync,
  writeSync: (fd, buffer, offset, length) => fs.writeSync(fd, buffer, offset, length),
  fsyncSync: fs.fsyncSync,
  closeSync: fs.closeSync,
  renameSync: fs.renameSync,
  unlinkSync: fs.unlinkSync,
};

export function writeFileAtomic(path: string, content: string, io: AtomicWriteIo = nodeIo): void {
  const dir = dirname(path);
  const temp = join(dir, `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  let fd: number | undefined;
  try {
    fd = io.openSync(temp, 'wx', 0o600);
    const buffer = Buffer.from(content, 'utf8');
    let written = 0;
    while (written < buffer.length) written += io.writeSync(fd, buffer, written, buffer.length - written);
    io.fsyncSync(fd);
    io.closeSync(fd);
    fd = undefined;
    io.renameSync(temp, path);
  } catch (err) {
    if (fd !== undefined) {
      try { io.closeSync(fd); } catch { /* already failing */ }
    }
    try { io.unlinkSync(temp); } catch { /* never created or already renamed */ }
    throw err;
  }
  syncDirectory(dir);
}

/** Make the rename itself durable; not every platform allows opening a directory. */
function syncDirectory(dir: string): void {
  let fd: number | undefined;
  try {
    fd = fs.openSync(dir, 'r');
    fs.fsyncSync(fd);
  } catch {
    // best effort
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}
