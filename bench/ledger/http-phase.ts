import { randomUUID } from 'node:crypto';
import { spawnPlatform, type PlatformProcess } from '../../services/ledger/testing/spawn-platform.js';
import { compiledEntry } from '../support/compiled-build.js';
import { KeepAliveConnection } from '../support/keep-alive-connection.js';
import { drive, figuresOf, type PhaseFigures } from './stats.js';

export interface HttpPhaseOptions {
  readonly name: string;
  readonly databaseUrl: string;
  readonly kek: string;
  readonly batching: boolean;
  /** Platform processes (replicas); client i talks to process i mod n, as behind a load balancer. */
  readonly platforms: number;
  readonly clients: number;
  readonly seconds: number;
  readonly warmupSeconds: number;
  readonly debitAccount: () => string;
  readonly creditAccount: string;
  /** Called once per 201, so the caller can check every acknowledged debit is recorded. */
  readonly onAcknowledged: () => void;
}

/** Debits through POST /v1/ledger/transfers, each with its own Idempotency-Key, until the window closes. */
export async function httpPhase(options: HttpPhaseOptions): Promise<{ figures: PhaseFigures; batches: string[] }> {
  const platforms: PlatformProcess[] = [];
  let connections: KeepAliveConnection[] = [];
  try {
    for (let i = 0; i < options.platforms; i++) {
      const platform = await spawnPlatform({ databaseUrl: options.databaseUrl, batching: options.batching, kek: options.kek, nodeArgs: process.env.BENCH_PLATFORM_NODE_ARGS?.split(' ').filter(Boolean), compiledRunner: compiledEntry('services/ledger/testing/run-platform-with-trusted-staff.ts') });
      platforms.push(platform);
    }
    // Each client is a till with its own keep-alive connection, to platform i mod n.
    connections = await Promise.all(Array.from({ length: options.clients }, (_, i) => KeepAliveConnection.open(platforms[i % platforms.length]!.url)));
    const headers = 'authorization: Bearer finance-token\r\ncontent-type: application/json\r\n';
    const run = await drive(options.clients, options.seconds, options.warmupSeconds, async (client) => {
      const body = JSON.stringify({ debitAccountId: options.debitAccount(), creditAccountId: options.creditAccount, amount: 1, currency: 'GBP', reason: 'bench debit' });
      const response = await connections[client]!.request('POST', '/v1/ledger/transfers', `${headers}idempotency-key: ${randomUUID()}\r\n`, body);
      if (response.status === 201) options.onAcknowledged();
      return response.status === 201;
    });
    const batches = options.batching ? await Promise.all(platforms.map((p) => batchSummary(p.url))) : [];
    return { figures: figuresOf(options.name, run.latencies, run.errors, run.seconds), batches };
  } finally {
    await Promise.all(connections.map((connection) => connection.close()));
    await Promise.all(platforms.map((p) => p.stop()));
  }
}

/** From a platform's /metrics: how many transfers each batch statement carried and how long it took. */
async function batchSummary(baseUrl: string): Promise<string> {
  const text = await (await fetch(`${baseUrl}/metrics`)).text();
  const value = (name: string) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1] ?? Number.NaN);
  const batches = value('tessera_ledger_batch_size_count');
  return `${batches} batches, ${(value('tessera_ledger_batch_size_sum') / batches).toFixed(1)} transfers and ${((value('tessera_ledger_batch_seconds_sum') / batches) * 1000).toFixed(1)} ms each on average`;
}
