import { expect } from 'chai';
import express from 'express';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expressObjectClasses } from '../../../shared/http/index.js';

describe('expressObjectClasses', () => {
  let server: Server | undefined;
  afterEach(() => server?.close());

  it("makes a server's requests and responses the app's express objects from birth, also when adopted after listening", async () => {
    const app = express();
    app.set('answer', 42);
    const classes = expressObjectClasses();
    const seen: Record<string, unknown>[] = [];
    server = createServer(classes.serverOptions, (req, res) => {
      const r = req as unknown as express.Request;
      seen.push({ expressRequest: app.request.isPrototypeOf(req), expressResponse: app.response.isPrototypeOf(res), header: typeof r.get === 'function' ? r.get('x-probe') : undefined, setting: r.app?.get('answer') });
      res.end('ok');
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const get = () =>
      new Promise<void>((resolve, reject) => {
        request({ port, host: '127.0.0.1', path: '/', headers: { 'x-probe': 'yes' } }, (res) => res.resume().on('end', resolve)).on('error', reject).end();
      });
    await get();
    classes.adopt(app);
    await get();
    expect(seen[0]).to.deep.equal({ expressRequest: false, expressResponse: false, header: undefined, setting: undefined });
    expect(seen[1]).to.deep.equal({ expressRequest: true, expressResponse: true, header: 'yes', setting: 42 });
  });
});
