import { expect } from 'chai';
import { createServer, type Server } from 'node:http';
import { freePort } from '../../support/platform-process.js';
import { backoffDelay, PlatformClient, PlatformError, withRetries } from '../../../services/reader-agent/index.js';

const quick = { baseMs: 20, maxMs: 100, attempts: 50 };

function serve(port: number, handler: (path: string, count: number) => { status: number; body?: unknown }): Promise<Server> {
  let count = 0;
  const server = createServer((req, res) => {
    const answer = handler(req.url ?? '', ++count);
    res.writeHead(answer.status, { 'content-type': 'application/json' });
    res.end(answer.body === undefined ? '' : JSON.stringify(answer.body));
  });
  return new Promise((resolve) => server.listen(port, '127.0.0.1', () => resolve(server)));
}

describe('reader agent: retries with backoff', () => {
  it('keeps delays within the growing, capped window (full jitter)', () => {
    const policy = { baseMs: 100, maxMs: 1000, attempts: 10 };
    expect(backoffDelay(policy, 0, () => 0.999)).to.be.below(100);
    expect(backoffDelay(policy, 3, () => 0.999)).to.equal(799);
    expect(backoffDelay(policy, 20, () => 0.999)).to.equal(999);
  });

  it('stops after the attempts, on a final error, and when aborted', async () => {
    let calls = 0;
    const failing = () => withRetries(async () => ((calls++, Promise.reject(new Error('down')))), { policy: { baseMs: 1, maxMs: 2, attempts: 3 }, retryable: () => true });
    await failing().catch(() => undefined);
    expect(calls).to.equal(3);
    calls = 0;
    await withRetries(async () => ((calls++, Promise.reject(new Error('final')))), { policy: quick, retryable: () => false }).catch(() => undefined);
    expect(calls).to.equal(1);
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('stopped')), 50);
    const aborted = await withRetries(async () => Promise.reject(new Error('down')), { policy: quick, retryable: () => true, signal: controller.signal }).catch((e: Error) => e.message);
    expect(aborted).to.equal('stopped');
  });

  it('waits for an unreachable platform and carries on when it comes up', async () => {
    const port = await freePort();
    const retries: number[] = [];
    const client = new PlatformClient(`http://127.0.0.1:${port}`, 'tsr1.x', { backoff: quick, onRetry: (_e, delay) => retries.push(delay) });
    let server: Server | undefined;
    setTimeout(() => void serve(port, () => ({ status: 200, body: { id: 'r', name: 'door', purposes: [] } })).then((s) => (server = s)), 300);
    try {
      const self = await client.self();
      expect(self.name).to.equal('door');
      expect(retries.length).to.be.greaterThan(0);
    } finally {
      server?.close();
    }
  });

  it('retries a challenge through 503s but gives up at once on a 4xx', async () => {
    const port = await freePort();
    const server = await serve(port, (path, count) =>
      path === '/v1/taps' ? (count < 3 ? { status: 503, body: { code: 'ERR_SHUTTING_DOWN' } } : { status: 201, body: { id: 't' } }) : { status: 403, body: { code: 'ERR_READER_SUSPENDED', detail: 'suspended' } },
    );
    try {
      const client = new PlatformClient(`http://127.0.0.1:${port}`, 'tsr1.x', { backoff: quick });
      expect((await client.challenge('identity.verify', undefined)).id).to.equal('t');
      const refused = await client.heartbeat({ firmwareVersion: 'a', configVersion: 'b' }).catch((e: unknown) => e);
      expect(refused).to.be.instanceOf(PlatformError);
      expect((refused as PlatformError).code).to.equal('ERR_READER_SUSPENDED');
    } finally {
      server.close();
    }
  });
});
