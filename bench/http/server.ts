/**
 * A server for bench:http, run as a child process: `bare` is node:http answering JSON by hand
 * (the floor), `platform` is the platform's HTTP stack (buildApp) with one validated JSON route.
 * It reports its own CPU time when asked over IPC, so the figures are the server's alone.
 */
import { createServer, type RequestListener, type ServerOptions } from 'node:http';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';

const kind = process.argv[2];

async function platformListener(): Promise<{ listener: RequestListener; options: ServerOptions }> {
  const { buildApp } = await import('../../services/platform/app.js');
  const { openDatabase } = await import('../../shared/db/index.js');
  const { createLogger } = await import('../../shared/logging/index.js');
  const { testConfig } = await import('../../test/support/test-config.js');
  const { echoService } = await import('../../test/support/echo-service.js');
  const logger = createLogger('warn');
  const db = openDatabase({ dataDir: mkdtempSync(join(tmpdir(), 'tessera-bench-http-')), logger });
  await db.knex.raw('select 1'); // PGlite starts on first use: not inside the measuring window
  const platform = await buildApp({ config: testConfig({}), db, logger, services: [echoService()], keyEncryptionKey: randomBytes(32) });
  return { listener: platform.listener, options: platform.serverOptions };
}

const bare: RequestListener = (req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    const body = JSON.parse(Buffer.concat(chunks).toString()) as Record<string, unknown>;
    const answer = JSON.stringify({ id: req.url!.split('/')[3], verbose: false, ...body });
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(answer) });
    res.end(answer);
  });
};

const { listener, options } = kind === 'platform' ? await platformListener() : { listener: bare, options: {} };
const server = createServer(options, listener);
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => process.send!({ port: (server.address() as AddressInfo).port }));
process.on('message', (message) => {
  if (message === 'cpu') {
    const usage = process.cpuUsage();
    process.send!({ cpuMs: (usage.user + usage.system) / 1000 });
  } else if (message === 'stop') {
    server.closeAllConnections();
    server.close(() => process.exit(0));
  }
});
