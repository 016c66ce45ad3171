import { expect } from 'chai';
import { connect } from 'node:net';
import { clientErrorResponse } from '../../../shared/http/index.js';
import { echoService } from '../../support/echo-service.js';
import { sharedTestDatabase } from '../../support/test-database.js';
import { startTestPlatform, type TestPlatform } from '../../support/test-platform.js';

async function problemOf(response: Response) {
  expect(response.headers.get('content-type')).to.match(/^application\/problem\+json/);
  return (await response.json()) as { type: string; title: string; status: number; detail: string; code: string; errors?: unknown[] };
}

describe('HTTP layer: bad input gets problem+json, never a 500', () => {
  let t: TestPlatform;
  before(async () => {
    t = await startTestPlatform({ db: await sharedTestDatabase(), services: [echoService()], config: { bodyLimitBytes: 2048 } });
  });
  after(() => t.close());

  const post = (body: string, headers: Record<string, string> = { 'content-type': 'application/json' }, path = '/v1/echo/abc') =>
    fetch(`${t.baseUrl}${path}`, { method: 'POST', headers, body });

  it('accepts a valid request and coerces query strings to their types', async () => {
    const response = await post(JSON.stringify({ name: 'Ada', amount: 3 }), undefined, '/v1/echo/abc?verbose=true');
    expect(response.status).to.equal(200);
    expect(await response.json()).to.deep.equal({ id: 'abc', verbose: true, name: 'Ada', amount: 3 });
  });

  it('malformed JSON -> 400 malformed-json', async () => {
    const response = await post('{"name": "Ada", ');
    expect(response.status).to.equal(400);
    const problem = await problemOf(response);
    expect(problem.type).to.equal('urn:tessera:problem:malformed-json');
    expect(problem.code).to.equal('ERR_MALFORMED_JSON');
  });

  it('wrong content type -> 415', async () => {
    const response = await post('name=Ada&amount=3', { 'content-type': 'application/x-www-form-urlencoded' });
    expect(response.status).to.equal(415);
    expect((await problemOf(response)).type).to.equal('urn:tessera:problem:unsupported-media-type');
  });

  /** Writes raw bytes and reads until the server closes: for requests node:http refuses before the app. */
  const rawExchange = (bytes: string) =>
    new Promise<{ status: number; headers: string; body: string }>((resolve, reject) => {
      const { port } = new URL(t.baseUrl);
      const socket = connect(Number(port), '127.0.0.1', () => socket.write(bytes));
      let received = '';
      socket.setEncoding('utf8').on('data', (chunk: string) => (received += chunk));
      socket.on('error', reject).on('close', () => {
        const [head = '', body = ''] = received.split('\r\n\r\n');
        resolve({ status: Number(head.split(' ')[1]), headers: head.toLowerCase(), body });
      });
    });

  it('request line and headers over node\'s 16 KiB -> 431 problem+json, and the connection closed', async () => {
    const answer = await rawExchange(`GET /v1/echo/${'a'.repeat(20_000)} HTTP/1.1\r\nHost: x\r\n\r\n`);
    expect(answer.status).to.equal(431);
    expect(answer.headers).to.include('content-type: application/problem+json').and.include('connection: close');
    expect(JSON.parse(answer.body)).to.include({ status: 431, code: 'ERR_HEADERS_TOO_LARGE', type: 'urn:tessera:problem:headers-too-large' });
  });

  it('bytes that are not HTTP -> 400 problem+json', async () => {
    const answer = await rawExchange('HELLO THERE\r\n\r\n');
    expect(answer.status).to.equal(400);
    expect(answer.headers).to.include('content-type: application/problem+json');
    expect(JSON.parse(answer.body)).to.include({ status: 400, code: 'ERR_MALFORMED_REQUEST' });
    // The server is still there for well-formed requests.
    expect((await post(JSON.stringify({ name: 'Ada', amount: 3 }))).status).to.equal(200);
  });

  it('a client too slow with its headers gets 408 problem+json (the answer node:http sends on its request timeout)', () => {
    const raw = clientErrorResponse(Object.assign(new Error('timeout'), { code: 'ERR_HTTP_REQUEST_TIMEOUT' }));
    const [head = '', body = ''] = raw.split('\r\n\r\n');
    expect(head.split('\r\n')[0]).to.equal('HTTP/1.1 408 Request Timeout');
    expect(head).to.include(`Content-Length: ${Buffer.byteLength(body)}`);
    expect(JSON.parse(body)).to.include({ status: 408, code: 'ERR_REQUEST_TIMEOUT' });
  });

  it('oversized body -> 413', async () => {
    const response = await post(JSON.stringify({ name: 'x'.repeat(5000), amount: 1 }));
    expect(response.status).to.equal(413);
    expect((await problemOf(response)).type).to.equal('urn:tessera:problem:payload-too-large');
  });

  it('unknown field -> 400 naming the field', async () => {
    const response = await post(JSON.stringify({ name: 'Ada', amount: 3, admin: true }));
    expect(response.status).to.equal(400);
    const problem = await problemOf(response);
    expect(problem.type).to.equal('urn:tessera:problem:validation');
    expect(problem.errors).to.deep.include({ in: 'body', pointer: '/admin', message: "unknown field 'admin'" });
  });

  it('wrong types, missing fields, bad path and unknown query parameters -> 400 with every error', async () => {
    const response = await post(JSON.stringify({ amount: 'three' }), undefined, '/v1/echo/NOT_OK?colour=red');
    expect(response.status).to.equal(400);
    const problem = await problemOf(response);
    const pointers = (problem.errors as { in: string; pointer: string }[]).map((e) => `${e.in}${e.pointer}`);
    expect(pointers).to.include.members(['params/id', 'query/colour']);
  });

  it('a JSON body that is not an object -> 400, not a crash', async () => {
    for (const body of ['null', '[]', '"text"', '42']) {
      const response = await post(body);
      expect(response.status, body).to.be.oneOf([400, 415]);
      await problemOf(response);
    }
  });

  it('unknown route -> 404 problem, and a body where none is expected -> 400', async () => {
    const missing = await fetch(`${t.baseUrl}/v1/nothing-here`);
    expect(missing.status).to.equal(404);
    expect((await problemOf(missing)).code).to.equal('ERR_NOT_FOUND');
    const withBody = await fetch(`${t.baseUrl}/healthz`, { method: 'GET' });
    expect(withBody.status).to.equal(200);
  });

  it('a protected route without credentials -> 401', async () => {
    const response = await fetch(`${t.baseUrl}/v1/echo-protected`);
    expect(response.status).to.equal(401);
    expect((await problemOf(response)).code).to.equal('ERR_UNAUTHENTICATED');
  });

  it('an unexpected failure -> 500 problem that leaks no internals and carries the request id', async () => {
    const response = await fetch(`${t.baseUrl}/v1/echo-broken`, { headers: { 'x-request-id': 'trace-123' } });
    expect(response.status).to.equal(500);
    expect(response.headers.get('x-request-id')).to.equal('trace-123');
    const problem = await problemOf(response);
    expect(JSON.stringify(problem)).not.to.include('internal detail');
    expect(problem).to.include({ instance: 'urn:tessera:request:trace-123' });
  });

  it('gives every response a request id, replacing a malformed one', async () => {
    const response = await fetch(`${t.baseUrl}/healthz`, { headers: { 'x-request-id': 'bad id with spaces' } });
    const id = response.headers.get('x-request-id');
    expect(id).to.match(/^[0-9a-f-]{36}$/);
  });

  it('sets security headers', async () => {
    const response = await fetch(`${t.baseUrl}/healthz`);
    expect(response.headers.get('x-content-type-options')).to.equal('nosniff');
    expect(response.headers.get('x-powered-by')).to.equal(null);
    expect(response.headers.get('content-security-policy')).to.include("default-src 'self'");
  });
});
