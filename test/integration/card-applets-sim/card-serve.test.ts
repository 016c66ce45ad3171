/** `tessera card serve` as a process: inserts into a (fake) vpcd, and SIGTERM removes the card and exits 0. */
import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCardFile } from '../../../card-applets-sim/store/card-file.js';

describe('tessera card serve (process)', () => {
  it('answers GET ATR on the vpcd port and exits 0 on SIGTERM after closing the connection', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tessera-serve-'));
    const file = join(dir, 'card.json');
    createCardFile(file);
    const server = createServer();
    const connected = new Promise<Socket>((resolve) => { server.once('connection', resolve); });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    const child = spawn(process.execPath, ['--import', 'tsx', 'card-applets-sim/cli/main.ts', 'card', 'serve', file, '--vpcd', `127.0.0.1:${port}`], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => { stderr += String(d); });
    try {
      const socket = await connected;
      const atr = new Promise<Buffer>((resolve) => {
        let buf = Buffer.alloc(0);
        socket.on('data', (d) => { buf = Buffer.concat([buf, d]); if (buf.length >= 2 && buf.length >= 2 + buf.readUInt16BE(0)) resolve(buf.subarray(2)); });
      });
      socket.write(Buffer.of(0x00, 0x01, 0x04));
      expect((await atr).toString('hex').toUpperCase()).to.equal('3B8B800180F9A00000030800001000C8');
      const closed = new Promise((resolve) => socket.once('close', resolve));
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      child.kill('SIGTERM');
      await closed;
      expect(await exited).to.equal(0);
      expect(stderr).to.include('inserted into vpcd').and.include('SIGTERM: removing the card');
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      server.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
