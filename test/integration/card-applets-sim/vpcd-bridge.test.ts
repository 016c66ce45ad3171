/**
 * The vpcd bridge against a fake vpcd server speaking the vsmartcard framing: control bytes,
 * split and merged frames, pcscd restarts, several slots. Needs no system package.
 */
import { expect } from 'chai';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { VpcdBridge } from '../../../card-applets-sim/vpcd/vpcd-bridge.js';
import { newCard } from '../../unit/card-applets-sim/support/card-harness.js';

/** The vpcd side: accepts the card, sends framed messages, collects framed replies. */
class FakeVpcd {
  readonly server: Server;
  private sockets: Socket[] = [];
  private waiters: Array<(socket: Socket) => void> = [];
  private replies = new Map<Socket, { buffer: Buffer; waiting: Array<() => void> }>();
  private claimed = new Set<Socket>();

  constructor() {
    this.server = createServer((socket) => {
      this.sockets.push(socket);
      const state = { buffer: Buffer.alloc(0), waiting: [] as Array<() => void> };
      this.replies.set(socket, state);
      socket.on('data', (chunk) => {
        state.buffer = Buffer.concat([state.buffer, chunk]);
        for (const wake of state.waiting.splice(0)) wake();
      });
      socket.on('error', () => undefined);
      const waiter = this.waiters.shift();
      waiter?.(socket);
    });
  }

  async listen(port = 0): Promise<number> {
    await new Promise<void>((resolve) => this.server.listen(port, '127.0.0.1', resolve));
    return (this.server.address() as AddressInfo).port;
  }

  get connectionCount(): number {
    return this.sockets.length;
  }

  nextConnection(): Promise<Socket> {
    const open = this.sockets.find((s) => !s.destroyed && !this.claimed.has(s));
    if (open) {
      this.claimed.add(open);
      return Promise.resolve(open);
    }
    return new Promise((resolve) => this.waiters.push((s) => { this.claimed.add(s); resolve(s); }));
  }

  /** Send frames; `split` writes the length and payload separately like vpcd 3.3 does. */
  send(socket: Socket, payloads: Uint8Array[], mode: 'split' | 'merged' | 'bytewise' = 'split'): void {
    const frames = payloads.map((p) => {
      const header = Buffer.alloc(2);
      header.writeUInt16BE(p.length);
      return [header, Buffer.from(p)] as const;
    });
    if (mode === 'merged') socket.write(Buffer.concat(frames.flat()));
    else if (mode === 'split') for (const [h, p] of frames) { socket.write(h); socket.write(p); }
    else for (const byte of Buffer.concat(frames.flat())) socket.write(Buffer.of(byte));
  }

  /** The next framed reply from the card. */
  async receive(socket: Socket): Promise<Buffer> {
    const state = this.replies.get(socket)!;
    for (;;) {
      if (state.buffer.length >= 2) {
        const length = state.buffer.readUInt16BE(0);
        if (state.buffer.length >= 2 + length) {
          const payload = state.buffer.subarray(2, 2 + length);
          state.buffer = state.buffer.subarray(2 + length);
          return Buffer.from(payload);
        }
      }
      await new Promise<void>((resolve) => state.waiting.push(resolve));
    }
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex').toUpperCase();
const SELECT = Buffer.from('00A4040009A0000003080000100000', 'hex');

describe('vpcd bridge against a fake vpcd (integration)', () => {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => { for (const c of cleanups.splice(0).reverse()) await c(); });

  async function setup(): Promise<{ vpcd: FakeVpcd; bridge: VpcdBridge; port: number; harness: ReturnType<typeof newCard> }> {
    const vpcd = new FakeVpcd();
    const port = await vpcd.listen();
    const harness = newCard();
    const bridge = new VpcdBridge(harness.card, { port, reconnectMinMs: 10, reconnectMaxMs: 40, warn: () => undefined });
    cleanups.push(() => vpcd.close(), () => bridge.stop());
    return { vpcd, bridge, port, harness };
  }

  it('answers GET ATR (04) with the framed ATR, and C-APDUs with framed R-APDUs', async () => {
    const { vpcd, bridge } = await setup();
    bridge.start();
    const socket = await vpcd.nextConnection();
    vpcd.send(socket, [Uint8Array.of(0x04)]);
    expect(hex(await vpcd.receive(socket))).to.equal('3B8B800180F9A00000030800001000C8');
    vpcd.send(socket, [Uint8Array.of(0x01), SELECT]);
    expect(hex(await vpcd.receive(socket)).slice(-4)).to.equal('9000');
    vpcd.send(socket, [Buffer.from('00FD000000', 'hex')]);
    expect(hex(await vpcd.receive(socket))).to.equal('0504039000');
  });

  it('sends no reply to power off / on / reset, and each clears volatile state', async () => {
    const { vpcd, bridge } = await setup();
    bridge.start();
    const socket = await vpcd.nextConnection();
    for (const control of [0x00, 0x01, 0x02]) {
      vpcd.send(socket, [SELECT, Buffer.from('0020008008313233343536FFFF', 'hex')]);
      await vpcd.receive(socket);
      expect(hex(await vpcd.receive(socket))).to.equal('9000');
      // No reply to the control byte: the next reply belongs to the query after it.
      vpcd.send(socket, [Uint8Array.of(control), Buffer.from('00200080', 'hex')]);
      expect(hex(await vpcd.receive(socket)), `control ${control}`).to.equal('6D00');
    }
  });

  it('reassembles split, byte-by-byte and merged frames and answers in order', async () => {
    const { vpcd, bridge } = await setup();
    bridge.start();
    const socket = await vpcd.nextConnection();
    vpcd.send(socket, [SELECT], 'bytewise');
    expect(hex(await vpcd.receive(socket)).slice(-4)).to.equal('9000');
    vpcd.send(socket, [Buffer.from('00FD000000', 'hex'), Buffer.from('00F8000000', 'hex'), Uint8Array.of(0x04)], 'merged');
    expect(hex(await vpcd.receive(socket))).to.equal('0504039000');
    expect(hex(await vpcd.receive(socket))).to.equal('00BC614E9000');
    expect(hex(await vpcd.receive(socket)).slice(0, 4)).to.equal('3B8B');
  });

  it('never sends more than 256 data bytes in one response (G1)', async () => {
    const { vpcd, bridge, harness } = await setup();
    harness.store.update((s) => { s.objects['5FC105'] = '5382012C' + 'AB'.repeat(300); });
    bridge.start();
    const socket = await vpcd.nextConnection();
    vpcd.send(socket, [SELECT, Buffer.from('00CB3FFF055C035FC10500', 'hex')]);
    await vpcd.receive(socket);
    const first = await vpcd.receive(socket);
    expect(first.length).to.equal(258);
    expect(hex(first.subarray(256))).to.equal('6130');
  });

  it('removes the card on stop() and does not come back', async () => {
    const { vpcd, bridge, harness } = await setup();
    let disconnected = 0;
    bridge.on('disconnected', () => { disconnected += 1; });
    const connected = new Promise((resolve) => bridge.once('connected', () => resolve(undefined)));
    bridge.start();
    const socket = await vpcd.nextConnection();
    await connected;
    expect(bridge.connected).to.equal(true);
    const closed = new Promise((resolve) => socket.once('close', resolve));
    await bridge.stop();
    await closed;
    expect(bridge.connected).to.equal(false);
    expect(disconnected).to.equal(1);
    expect(harness.card.isPowered).to.equal(false);
    await new Promise((r) => setTimeout(r, 100));
    expect(vpcd.connectionCount).to.equal(1);
  });

  it('reconnects with backoff when pcscd restarts (server drops the connection)', async () => {
    const { vpcd, bridge } = await setup();
    bridge.start();
    const first = await vpcd.nextConnection();
    first.destroy();
    const second = await vpcd.nextConnection();
    vpcd.send(second, [Uint8Array.of(0x04)]);
    expect(hex(await vpcd.receive(second)).slice(0, 4)).to.equal('3B8B');
    expect(vpcd.connectionCount).to.equal(2);
  });

  it('keeps retrying while nothing listens, then connects when vpcd appears', async () => {
    const probe = new FakeVpcd();
    const port = await probe.listen();
    await probe.close();
    const retries: string[] = [];
    const delays: number[] = [];
    const bridge = new VpcdBridge(newCard().card, { port, reconnectMinMs: 10, reconnectMaxMs: 40, warn: () => undefined });
    const threeRetries = new Promise<void>((resolve) => {
      bridge.on('retrying', (delay, reason) => {
        retries.push(reason);
        delays.push(delay);
        if (retries.length === 3) resolve();
      });
    });
    cleanups.push(() => bridge.stop());
    bridge.start();
    await threeRetries;
    expect(delays).to.deep.equal([10, 20, 40]);
    expect(retries[0]).to.equal('ECONNREFUSED');
    const vpcd = new FakeVpcd();
    cleanups.push(() => vpcd.close());
    await vpcd.listen(port);
    const socket = await vpcd.nextConnection();
    vpcd.send(socket, [Uint8Array.of(0x04)]);
    expect(hex(await vpcd.receive(socket)).slice(0, 4)).to.equal('3B8B');
  });

  it('serves several slots at once, one bridge per slot, each with its own card', async () => {
    const a = await setup();
    const b = await setup();
    a.bridge.start();
    b.bridge.start();
    const sa = await a.vpcd.nextConnection();
    const sb = await b.vpcd.nextConnection();
    a.vpcd.send(sa, [SELECT, Buffer.from('0020008008313233343536FFFF', 'hex'), Buffer.from('00200080', 'hex')]);
    b.vpcd.send(sb, [SELECT, Buffer.from('00200080', 'hex')]);
    await a.vpcd.receive(sa);
    await a.vpcd.receive(sa);
    await b.vpcd.receive(sb);
    expect(hex(await a.vpcd.receive(sa))).to.equal('9000');
    expect(hex(await b.vpcd.receive(sb))).to.equal('63C3');
  });
});
