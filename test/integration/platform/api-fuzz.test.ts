import { createHash } from 'node:crypto';
import { Agent } from 'node:http';
import { expect } from 'chai';
import fc from 'fast-check';
import { verifyLedger } from '../../../shared/ledger/index.js';
import { migrationOptionsFor } from '../../../services/platform/app.js';
import { runDemoSeeders } from '../../../services/platform/seed/run-demo-seeders.js';
import { allServices } from '../../../services/platform/services.js';
import { createTestDatabase, onPostgres, type TestDatabase } from '../../support/test-database.js';
import { startTestPlatform, type TestPlatform } from '../../support/test-platform.js';
import { operationsOf, type ApiOperation, type CallerKind } from './support/api-operations.js';
import { CALLER_CREDENTIAL, FuzzCallers } from './support/fuzz-callers.js';
import { KnownIds } from './support/known-ids.js';
import { fuzzRequests, type FuzzRequest } from './support/fuzz-requests.js';
import { bogusAuthorization } from './support/hostile-values.js';
import { sendRaw, type RawResponse } from './support/raw-http.js';

/**
 * "No 500 for anything a client can send", over EVERY operation of a platform running all
 * services, as the right caller and as nobody. docs/architecture.md (How a request is served) says
 * what is generated and how to replay a failure: TESSERA_FUZZ_SEED=<seed> TESSERA_FUZZ_ROUTE='<METHOD> <path>' npx mocha <this file>.
 */
const BASE_SEED = Number(process.env.TESSERA_FUZZ_SEED ?? 20261122);
const ONLY_ROUTE = process.env.TESSERA_FUZZ_ROUTE;
/** Runs per operation signed as its caller, and as nobody (or a bogus credential). */
const RUNS_AS_CALLER = Number(process.env.TESSERA_FUZZ_RUNS ?? 24);
const RUNS_AS_NOBODY = Math.max(1, Math.ceil(RUNS_AS_CALLER / 4));
const BODY_LIMIT_BYTES = 64 * 1024;
/** Generous: no operation should take long, and one that hangs is reported rather than stalling the run. */
const ANSWER_TIMEOUT_MS = 20_000;

/** Each operation gets its own seed, derived from the base seed and its name, so one can be replayed alone. */
function seedFor(name: string): number {
  return (BASE_SEED ^ createHash('sha256').update(name).digest().readInt32BE(0)) | 0;
}

/** What is wrong with an answer, or undefined when it keeps the HTTP error conventions. */
function faultOf(request: FuzzRequest, answer: RawResponse): string | undefined {
  if (answer.status >= 500) return `answered ${answer.status}: ${answer.text.slice(0, 300)}`;
  if (answer.status < 400) return undefined;
  if (!/^application\/problem\+json/.test(answer.contentType ?? '')) return `a ${answer.status} with content-type ${answer.contentType}, not application/problem+json`;
  if (request.method === 'HEAD') return undefined;
  let problem: { type?: unknown; title?: unknown; status?: unknown };
  try {
    problem = JSON.parse(answer.text) as typeof problem;
  } catch {
    return `a ${answer.status} whose problem document is not JSON: ${answer.text.slice(0, 200)}`;
  }
  if (typeof problem.type !== 'string' || typeof problem.title !== 'string' || problem.status !== answer.status) {
    return `a ${answer.status} without type, title and a matching status: ${answer.text.slice(0, 200)}`;
  }
  return undefined;
}

/** A generated request, shortened for the report (bodies can be 100 kB). */
function describeRequest(request: FuzzRequest): string {
  const cut = (text: string) => (text.length > 300 ? `${text.slice(0, 300)}... (${text.length} chars)` : text);
  const headers = Object.fromEntries(Object.entries(request.headers).map(([k, v]) => [k, cut(v)]));
  return `${request.method} ${cut(request.path)} [${request.shape}] headers ${JSON.stringify(headers)}${request.body !== undefined ? ` body ${JSON.stringify(cut(String(request.body)))}` : ''}`;
}

describe(`API fuzz: no 500 for anything a client can send, on every route (${onPostgres ? 'PostgreSQL' : 'PGlite'})`, function () {
  this.timeout(300_000);
  let db: TestDatabase;
  let t: TestPlatform;
  let callers: FuzzCallers;
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  let knownIds: KnownIds;
  /** Statuses answered per operation to requests signed as its caller: proof that requests got past sign-in and validation. */
  const statusesAsCaller = new Map<string, Set<number>>();

  before(async () => {
    const services = allServices();
    db = await createTestDatabase({ migrations: migrationOptionsFor(services) });
    // A high reader rate, so the fuzzing reader is rarely throttled and its requests reach the routes.
    t = await startTestPlatform({ db, services, config: { bodyLimitBytes: BODY_LIMIT_BYTES, readerRatePerSecond: 10_000 } });
    // The demo data an operator gets with TESSERA_SEED_DEMO: records with money on them, for requests to find.
    await runDemoSeeders(t.platform.ctx, services);
    callers = await FuzzCallers.create(t.baseUrl, db.knex);
    knownIds = new KnownIds(callers.ownIds);
  });
  after(async () => {
    agent.destroy();
    await t?.close();
    await db?.dispose();
  });

  /** Identifiers in successful answers feed later requests (never the fuzz's own callers: it must not lock itself out). */
  function learnIds(path: string, answer: RawResponse): void {
    if (answer.status >= 300 || !/json/.test(answer.contentType ?? '')) return;
    try {
      knownIds.learn(path, JSON.parse(answer.text));
    } catch {
      // Not JSON after all: nothing to learn.
    }
  }

  async function send(request: FuzzRequest, signedAs: CallerKind | undefined): Promise<RawResponse> {
    const headers = { ...request.headers };
    if (headers.authorization === CALLER_CREDENTIAL) {
      const credential = signedAs && callers.authorization(signedAs);
      if (credential) headers.authorization = credential;
      else delete headers.authorization;
    }
    const answer = await sendRaw(t.baseUrl, agent, { ...request, headers }, ANSWER_TIMEOUT_MS);
    learnIds(request.path, answer);
    if (signedAs) await callers.renewIfRefused(signedAs, answer.status, codeOf(answer));
    return answer;
  }

  /** Runs one property for one operation; returns the failure report, or undefined. */
  async function fuzz(op: ApiOperation, asCaller: boolean): Promise<string | undefined> {
    const who = asCaller ? (op.caller === 'public' ? 'anyone' : `a ${op.caller}`) : 'nobody';
    const name = `${op.method} ${op.path}`;
    const seed = seedFor(`${name} as ${who}`);
    const authorization = asCaller ? fc.constant<string | undefined>(CALLER_CREDENTIAL) : bogusAuthorization;
    const property = fc.asyncProperty(fuzzRequests(op, knownIds, authorization), async (request) => {
      const answer = await send(request, asCaller ? op.caller : undefined);
      if (asCaller && request.method === op.method) {
        const seen = statusesAsCaller.get(name) ?? new Set<number>();
        statusesAsCaller.set(name, seen.add(answer.status));
      }
      const fault = faultOf(request, answer);
      if (fault) throw new Error(`${describeRequest(request)}\n  -> ${fault}`);
    });
    const details = await fc.check(property, { seed, numRuns: asCaller ? RUNS_AS_CALLER : RUNS_AS_NOBODY });
    if (!details.failed) return undefined;
    const error = details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance);
    return `${name} as ${who} (seed ${seed}, base seed ${BASE_SEED}, counterexample path ${details.counterexamplePath}):\n  ${error}`;
  }

  it('answers every generated request below 500, with problem+json for every 4xx, and stays healthy with a sound ledger', async () => {
    const document = JSON.parse((await sendRaw(t.baseUrl, agent, { method: 'GET', path: '/openapi.json', headers: {} }, ANSWER_TIMEOUT_MS)).text) as Parameters<typeof operationsOf>[0];
    const every = operationsOf(document);
    // The list comes from the running platform, so it cannot be empty or miss the routes every service must have.
    expect(every.map((o) => `${o.method} ${o.path}`)).to.include.members(['POST /v1/taps', 'POST /v1/ledger/transfers', 'POST /v1/sessions', 'GET /v1/readers/self', 'GET /healthz']);
    expect(every.length, 'operations in the document').to.be.greaterThan(100);
    for (const kind of ['public', 'staff', 'reader'] as const) expect(every.some((o) => o.caller === kind), `some ${kind} operation`).to.equal(true);
    const operations = ONLY_ROUTE ? every.filter((o) => `${o.method} ${o.path}` === ONLY_ROUTE) : every;
    expect(operations, `TESSERA_FUZZ_ROUTE=${ONLY_ROUTE} names no operation`).to.not.be.empty;
    // Operations that name fewer records first (creations), so the ids they answer with reach the ones that take ids.
    const ordered = [...operations].sort((a, b) => referencesOf(a) - referencesOf(b));

    const failures: string[] = [];
    let requests = 0;
    for (const op of ordered) {
      for (const asCaller of [true, false]) {
        const failure = await fuzz(op, asCaller);
        if (failure) failures.push(failure);
        requests += asCaller ? RUNS_AS_CALLER : RUNS_AS_NOBODY;
      }
      // One body over the limit per operation, whatever it declares: 413, before anything else.
      const oversized: FuzzRequest = {
        method: op.method,
        path: op.path.replace(/\{\w+\}/g, '00000000-0000-0000-0000-000000000000'),
        headers: { 'content-type': 'application/json', ...(op.caller === 'public' ? {} : { authorization: CALLER_CREDENTIAL }) },
        body: JSON.stringify({ padding: 'x'.repeat(BODY_LIMIT_BYTES) }),
        shape: 'oversized body',
      };
      const fault = faultOf(oversized, await send(oversized, op.caller === 'public' ? undefined : op.caller));
      if (fault) failures.push(`${op.method} ${op.path}: ${describeRequest(oversized)}\n  -> ${fault}`);
    }
    expect(requests, 'generated requests').to.be.greaterThan(operations.length);
    expect(failures, `${failures.length} failing operation(s); replay one with TESSERA_FUZZ_SEED=${BASE_SEED} TESSERA_FUZZ_ROUTE='<METHOD> <path>'\n\n${failures.join('\n\n')}`).to.deep.equal([]);
    const answered = [...statusesAsCaller].map(([name, statuses]) => ({ name, statuses: [...statuses] }));
    const reached = answered.filter((o) => o.statuses.some((s) => s < 300));
    console.log(`      ${requests} requests over ${operations.length} operations (base seed ${BASE_SEED}); ${reached.length} operations answered their caller with a 2xx`);
    // Not vacuous: the callers' credentials work on every operation, and many requests get through to do something.
    expect(answered.filter((o) => o.statuses.every((s) => s === 401)).map((o) => o.name), 'operations that refused every signed-in request as unauthenticated').to.deep.equal([]);
    if (!ONLY_ROUTE) expect(reached.length, 'operations that answered their caller with a 2xx').to.be.greaterThan(operations.length / 4);

    // Still healthy: alive, ready (database reachable, migrations current), and every ledger invariant holds.
    for (const path of ['/healthz', '/readyz']) {
      const answer = await sendRaw(t.baseUrl, agent, { method: 'GET', path, headers: {} }, ANSWER_TIMEOUT_MS);
      expect(answer.status, `${path}: ${answer.text}`).to.equal(200);
    }
    const ledger = await verifyLedger(db);
    console.log(`      the ledger after the fuzz: ${ledger.accounts} accounts, ${ledger.transfers} transfers, ${ledger.problems.length} problems`);
    expect(ledger.problems).to.deep.equal([]);
  });
});

/** How many records an operation names: its path parameters and the uuid fields of its body. */
function referencesOf(op: ApiOperation): number {
  const fields = Object.values((op.body?.schema.properties ?? {}) as Record<string, { format?: unknown }>);
  return Object.keys(op.pathParams).length + fields.filter((f) => f.format === 'uuid').length;
}

function codeOf(answer: RawResponse): string | undefined {
  if (!/problem\+json/.test(answer.contentType ?? '')) return undefined;
  try {
    return (JSON.parse(answer.text) as { code?: string }).code;
  } catch {
    return undefined;
  }
}
