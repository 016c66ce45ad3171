import { expect } from 'chai';
import { echoService } from '../../support/echo-service.js';
import { sharedTestDatabase } from '../../support/test-database.js';
import { startTestPlatform, type TestPlatform } from '../../support/test-platform.js';

describe('operations endpoints', () => {
  let t: TestPlatform;
  before(async () => {
    t = await startTestPlatform({ db: await sharedTestDatabase(), services: [echoService()] });
  });
  after(() => t.close());

  it('/metrics counts requests and latency by route template and status, in Prometheus text format', async () => {
    await fetch(`${t.baseUrl}/v1/echo/first-id`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"name":"a","amount":1}' });
    await fetch(`${t.baseUrl}/v1/echo/second-id`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    const response = await fetch(`${t.baseUrl}/metrics`);
    expect(response.headers.get('content-type')).to.match(/^text\/plain/);
    const text = await response.text();
    expect(text).to.include('tessera_http_requests_total{method="POST",route="/v1/echo/{id}",status="200"} 1');
    expect(text).to.include('tessera_http_requests_total{method="POST",route="/v1/echo/{id}",status="400"} 1');
    expect(text).to.match(/tessera_http_request_duration_seconds_bucket\{le="0\.005",method="POST",route="\/v1\/echo\/\{id\}",status="200"\} \d/);
    expect(text).not.to.include('first-id');
    expect(text).to.include('tessera_process_cpu_seconds_total');
  });

  it('/openapi.json is OpenAPI 3.1 built from the same schemas that validate requests', async () => {
    const doc = (await (await fetch(`${t.baseUrl}/openapi.json`)).json()) as any;
    expect(doc.openapi).to.equal('3.1.0');
    const echo = doc.paths['/v1/echo/{id}'].post;
    expect(echo.operationId).to.equal('echo');
    expect(echo.requestBody.content['application/json'].schema.additionalProperties).to.equal(false);
    expect(echo.requestBody.content['application/json'].schema.required).to.deep.equal(['name', 'amount']);
    expect(echo.parameters).to.deep.include({ name: 'id', in: 'path', required: true, schema: { type: 'string', pattern: '^[a-z0-9-]{1,40}$' } });
    expect(echo.parameters).to.deep.include({ name: 'verbose', in: 'query', required: false, schema: { type: 'boolean' } });
    expect(echo.responses.default.content['application/problem+json'].schema.$ref).to.equal('#/components/schemas/Problem');
    expect(doc.paths['/v1/echo-protected'].get.security).to.deep.equal([{ staffSession: [] }]);
    expect(doc.paths['/v1/echo-protected'].get['x-roles']).to.deep.equal(['admin']);
    for (const path of ['/healthz', '/readyz', '/metrics', '/openapi.json']) expect(doc.paths).to.have.property(path);
    const operationIds = Object.values(doc.paths).flatMap((p: any) => Object.values(p).map((o: any) => o.operationId));
    expect(new Set(operationIds).size).to.equal(operationIds.length);
  });

  it('refuses at start a request schema that would accept unknown fields', async () => {
    const db = await sharedTestDatabase();
    const careless = {
      name: 'careless',
      routers: (ctx: any) => {
        const api = ctx.createRouter();
        api.route({
          method: 'post',
          path: '/v1/careless',
          operationId: 'careless',
          summary: 'open schema',
          auth: { kind: 'public' },
          body: { type: 'object', properties: { nested: { type: 'object', properties: {} } }, additionalProperties: false },
          responses: { 200: { description: 'x' } },
          handler: () => ({}),
        });
        return [api];
      },
    };
    let caught: unknown;
    try {
      await startTestPlatform({ db, services: [careless] });
    } catch (error) {
      caught = error;
    }
    expect(String(caught)).to.match(/careless: body schema must set additionalProperties at #\/properties\/nested/);
  });
});
