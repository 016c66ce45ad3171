import type { Knex } from 'knex';
import { appendAudit, type AuditActor } from '../../../shared/audit/index.js';
import type { PivClient } from '../../../shared/piv/index.js';
import { LEASE_MS, type StartedIssuance } from './begin-issuance.js';
import type { IssuanceDeps } from './issuance-deps.js';
import type { IssuanceProgress, IssuanceStep } from './issuance-progress.js';
import { lockForAttempt, writeProgress } from './issuance-store.js';

/**
 * One attempt at an issuance: the card session, the record it holds, and how a step is written
 * down. Each step is recorded in its own short transaction after the card has done it, with an
 * audit row, and renews the attempt's lease.
 */
export class IssuanceAttempt {
  readonly deps: IssuanceDeps;
  readonly client: PivClient;
  readonly started: StartedIssuance;
  readonly pin: string;
  readonly actor: AuditActor;
  /** Which management key this session is authenticated with, from the probe on. */
  authenticatedWith: 'factory' | 'card' | undefined;
  #progress: IssuanceProgress;

  constructor(deps: IssuanceDeps, client: PivClient, started: StartedIssuance, options: { pin: string; actor: AuditActor; authenticatedWith: 'factory' | 'card' | undefined }) {
    this.deps = deps;
    this.client = client;
    this.started = started;
    this.pin = options.pin;
    this.actor = options.actor;
    this.authenticatedWith = options.authenticatedWith;
    this.#progress = started.progress;
  }

  get cardId(): string {
    return this.started.row.id;
  }

  get progress(): IssuanceProgress {
    return this.#progress;
  }

  isDone(step: IssuanceStep): boolean {
    return this.#progress.done[step] !== undefined;
  }

  /**
   * Records `step` as done with what it learned. `within` runs in the same transaction first
   * (e.g. the CA issuing a certificate), so what the platform did and its record commit together.
   */
  async record<T = void>(
    step: IssuanceStep | undefined,
    change: (progress: IssuanceProgress, produced: T) => Partial<IssuanceProgress>,
    options: { within?: (trx: Knex.Transaction) => Promise<T>; columns?: Record<string, unknown>; facts?: Record<string, unknown> } = {},
  ): Promise<T> {
    const now = this.deps.now();
    return this.deps.db.knex.transaction(async (trx) => {
      const { progress } = await lockForAttempt(trx, this.cardId, this.started.token);
      const produced = (options.within ? await options.within(trx) : undefined) as T;
      const lease = progress.lease ? { ...progress.lease, until: new Date(now.getTime() + LEASE_MS).toISOString() } : undefined;
      const next: IssuanceProgress = {
        ...progress,
        ...change(progress, produced),
        ...(lease ? { lease } : {}),
        done: step ? { ...progress.done, [step]: now.toISOString() } : progress.done,
      };
      await writeProgress(trx, this.cardId, next, options.columns);
      if (step) {
        await appendAudit(trx, {
          actor: this.actor,
          action: 'issuance.step',
          subject: { kind: 'card', id: this.cardId },
          details: { step, outcome: 'done', attempt: next.attempts, ...options.facts },
          at: now,
        });
      }
      this.#progress = next;
      return produced;
    });
  }
}
