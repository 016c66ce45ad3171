import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import type { ReaderProvider } from '../../../shared/readers/index.js';
import type { ServiceContext } from '../../../shared/service/index.js';
import { deskRelayFor } from '../../../services/auth/relay/desk-relay-for.js';
import { RelayedDeskProvider } from '../../../services/auth/relay/relayed-desk-provider.js';
import { DeskReaders, issuanceDepsFor, issueCard } from '../../../services/identity/issuance/index.js';
import { PlatformClient, ReaderAgent, type AgentEvent, type AgentRole, type PinSource } from '../../../services/reader-agent/index.js';

/** Events an agent reported, with a way to wait for the next one of a kind. */
export class EventLog {
  readonly events: AgentEvent[] = [];
  #waiters: { match: (e: AgentEvent) => boolean; resolve: (e: AgentEvent) => void }[] = [];

  readonly push = (event: AgentEvent) => {
    this.events.push(event);
    for (const waiter of [...this.#waiters]) {
      if (!waiter.match(event)) continue;
      this.#waiters = this.#waiters.filter((w) => w !== waiter);
      waiter.resolve(event);
    }
  };

  next<K extends AgentEvent['kind']>(kind: K, timeoutMs = 60_000): Promise<Extract<AgentEvent, { kind: K }>> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ${kind} event within ${timeoutMs} ms; saw ${JSON.stringify(this.events.map((e) => e.kind))}`)), timeoutMs);
      this.#waiters.push({
        match: (e) => e.kind === kind,
        resolve: (e) => {
          clearTimeout(timer);
          resolve(e as Extract<AgentEvent, { kind: K }>);
        },
      });
    });
  }
}

export function startAgent(options: { provider: ReaderProvider; reader: string; baseUrl: string; credential: string; role: AgentRole; purpose?: string; pins?: PinSource }) {
  const log = new EventLog();
  const agent = new ReaderAgent({
    provider: options.provider,
    reader: options.reader,
    client: new PlatformClient(options.baseUrl, options.credential),
    role: options.role,
    purpose: options.purpose,
    pins: options.pins,
    versions: { firmwareVersion: 'e2e-fw', configVersion: 'e2e-cfg', agentVersion: 'e2e' },
    onEvent: log.push,
  });
  return { agent, log };
}

export async function enrol(knex: Knex, givenName: string, familyName: string): Promise<{ id: string; reference: string }> {
  const id = randomUUID();
  const reference = `E2E-${id.slice(0, 8).toUpperCase()}`;
  await knex('cardholders').insert({ id, reference, given_name: givenName, family_name: familyName, kind: 'resident' });
  return { id, reference };
}

/** Issues a card with the issuance service on the card in a desk reader reached through its agent. */
export async function issueThroughRelay(ctx: ServiceContext, deskName: string, cardholderId: string, options: { pin: string; algorithm: 'p256' | 'rsa2048' }) {
  const deskReaders = new DeskReaders([new RelayedDeskProvider(deskRelayFor(ctx), ctx.db.knex)]);
  return issueCard(issuanceDepsFor(ctx, deskReaders), {
    cardholderId,
    purpose: 'new',
    deskReader: deskName,
    algorithm: options.algorithm,
    pin: options.pin,
    activate: true,
    actor: { kind: 'system', id: 'e2e' },
  });
}
