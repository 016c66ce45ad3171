import { expect } from 'chai';
import type { AuthenticatedTap, TapModule } from '../../../shared/modules/index.js';
import { isTesseraError } from '../../../shared/errors/index.js';
import { sharedTestDatabase, type TestDatabase } from '../../support/test-database.js';
import { tapEnvironment, type TapEnvironment } from './tap-fixture.js';
import { startAuthPlatform } from './auth-fixture.js';

const seen: AuthenticatedTap[] = [];

const echo: TapModule = {
  name: 'echo',
  purposes: {
    'echo.ok': { description: 'grants', minimumAssurance: 'card', display: ['name'] },
    'echo.no': { description: 'denies with its own reason', minimumAssurance: 'card' },
    'echo.throw': { description: 'throws', minimumAssurance: 'card' },
    'echo.slow': { description: 'never answers in time', minimumAssurance: 'card', timeBudgetMs: 50 },
    'echo.nonsense': { description: 'answers outside the contract', minimumAssurance: 'card' },
  },
  routes: (api) => {
    api.route({ method: 'get', path: '/ping', operationId: 'echoPing', summary: 'ping', auth: { kind: 'public' }, responses: { 200: { description: 'pong' } }, handler: () => ({ pong: true }) });
  },
  decide: async (tap, ctx) => {
    seen.push(tap);
    switch (tap.purpose) {
      case 'echo.ok':
        return { decision: 'granted', display: { greeting: `hello from ${ctx.module}`, payloadBytes: tap.payload.length } };
      case 'echo.no':
        return { decision: 'denied', reason: 'outside_schedule' };
      case 'echo.throw':
        throw new Error('the module fell over');
      case 'echo.slow':
        return new Promise(() => undefined);
      default:
        return { decision: 'granted', reason: 'Not A Reason!' };
    }
  },
};

const other: TapModule = {
  name: 'other',
  purposes: { 'other.ok': { description: 'grants', minimumAssurance: 'card' } },
  decide: async () => ({ decision: 'granted' }),
};

const gone: TapModule = {
  name: 'gone',
  purposes: { 'gone.ok': { description: 'a module switched off by configuration', minimumAssurance: 'card' } },
  routes: (api) => {
    api.route({ method: 'get', path: '/ping', operationId: 'gonePing', summary: 'ping', auth: { kind: 'public' }, responses: { 200: { description: 'pong' } }, handler: () => ({}) });
  },
  decide: async () => ({ decision: 'granted' }),
};

describe('auth: module registry and router', function () {
  this.timeout(120_000);
  let db: TestDatabase;
  let env: TapEnvironment;

  before(async () => {
    db = await sharedTestDatabase();
    env = await tapEnvironment({ db, modules: [echo, other, gone], settings: { disabledModules: ['gone'] }, reader: { module: 'echo' } });
  });
  after(() => env.close());

  it('routes a tap to the module of its purpose with the authenticated tap, and returns its decision and display', async () => {
    const card = await env.issue({ givenName: 'Grace', familyName: 'Hopper' });
    const result = await env.tap(card, { purpose: 'echo.ok', payload: Buffer.from('basket') });
    expect(result.body).to.include({ decision: 'granted', reason: 'ok' });
    expect(result.body.display).to.deep.equal({ greeting: 'hello from echo', payloadBytes: 6 });
    expect(result.body.cardholder).to.deep.equal({ name: 'Grace Hopper' });
    const tap = seen.find((t) => t.id === result.tapId)!;
    expect(tap.reader.id).to.equal(env.reader.id);
    expect(tap.credential).to.deep.include({ kind: 'platform', cardId: card.cardId, cardholderId: card.cardholderId, cardholderReference: card.reference });
    expect(Buffer.from(tap.payload).toString()).to.equal('basket');
    expect(await db.knex('taps').where({ id: result.tapId }).first()).to.include({ decision: 'granted', module: 'echo', reason: 'ok' });
  });

  it("records a module's own denial reason", async () => {
    const card = await env.issue();
    const result = await env.tap(card, { purpose: 'echo.no' });
    expect(result.body).to.include({ decision: 'denied', reason: 'outside_schedule' });
    expect(await db.knex('taps').where({ id: result.tapId }).first()).to.include({ decision: 'denied', reason: 'outside_schedule', module: 'echo' });
  });

  it('denies module_unavailable when the module throws, hangs past its budget or answers nonsense, and counts it, while another module keeps working', async () => {
    const card = await env.issue();
    const otherReader = await env.newReader({ module: 'other' });
    const [thrown, slow, nonsense, fine] = await Promise.all([
      env.tap(card, { purpose: 'echo.throw' }),
      env.tap(card, { purpose: 'echo.slow' }),
      env.tap(card, { purpose: 'echo.nonsense' }),
      env.tap(card, { purpose: 'other.ok', via: otherReader }),
    ]);
    for (const result of [thrown, slow, nonsense]) expect(result.body).to.include({ decision: 'denied', reason: 'module_unavailable' });
    expect(fine.body).to.include({ decision: 'granted' });
    const metrics = await (await fetch(`${env.p.baseUrl}/metrics`)).text();
    for (const kind of ['error', 'timeout', 'invalid']) {
      expect(metrics).to.match(new RegExp(`tessera_module_failures_total\\{module="echo",kind="${kind}"\\} [1-9]`));
    }
  });

  it('mounts module routes under /v1/<module>, and none for a disabled module', async () => {
    expect(await (await fetch(`${env.p.baseUrl}/v1/echo/ping`)).json()).to.deep.equal({ pong: true });
    expect((await fetch(`${env.p.baseUrl}/v1/gone/ping`)).status).to.equal(404);
  });

  it('denies module_disabled for the purposes of a module switched off by configuration', async () => {
    const card = await env.issue();
    const goneReader = await env.newReader({ module: 'gone' });
    const result = await env.tap(card, { purpose: 'gone.ok', via: goneReader });
    expect(result.body).to.include({ decision: 'denied', reason: 'module_disabled' });
  });

  it("refuses a purpose of a module the reader does not serve", async () => {
    const response = await fetch(`${env.p.baseUrl}/v1/taps`, {
      method: 'POST',
      headers: { authorization: `Bearer ${env.reader.credential}`, 'content-type': 'application/json' },
      body: JSON.stringify({ purpose: 'other.ok' }),
    });
    expect(response.status).to.equal(403);
    expect(((await response.json()) as { code: string }).code).to.equal('ERR_TAP_PURPOSE_NOT_FOR_READER');
  });

  it('refuses to start with two modules declaring one purpose', async () => {
    const twin: TapModule = { ...other, name: 'twin' };
    let failure: unknown;
    try {
      const p = await startAuthPlatform({ db, modules: [other, twin] });
      await p.close();
    } catch (error) {
      failure = error;
    }
    expect(isTesseraError(failure) && failure.code).to.equal('ERR_MODULE_DUPLICATE_PURPOSE');
  });
});
