import { expect } from 'chai';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { bootResponder } from '../../../services/platform/boot-app.js';

describe('while the platform is starting', () => {
  let server: Server;
  let base: string;
  before(async () => {
    server = createServer(bootResponder);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('is alive (/healthz 200) but not ready (/readyz 503)', async () => {
    const health = await fetch(`${base}/healthz`);
    expect(health.status).to.equal(200);
    expect(await health.json()).to.deep.equal({ status: 'ok', phase: 'starting' });
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).to.equal(503);
    expect(ready.headers.get('content-type')).to.match(/^application\/problem\+json/);
  });

  it('answers every other request 503 problem+json with Retry-After', async () => {
    const response = await fetch(`${base}/v1/cardholders`, { method: 'POST', body: '{}' });
    expect(response.status).to.equal(503);
    expect(response.headers.get('retry-after')).to.equal('2');
    expect(await response.json()).to.include({ code: 'ERR_SERVICE_UNAVAILABLE', type: 'urn:tessera:problem:service-unavailable' });
  });
});
