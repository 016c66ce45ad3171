import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import type { SealedBox } from '../../../shared/secrets/index.js';

export type ExchangeKind = 'open' | 'apdu' | 'close';

/** Announces a new command for a reader (payload: reader id) and an answer (payload: exchange id). */
export const RELAY_COMMAND_CHANNEL = 'tessera_relay';
export const RELAY_ANSWER_CHANNEL = 'tessera_relay_answer';

const sealPurpose = (id: string, part: 'command' | 'response') => `auth.relay:${id}:${part}`;

export interface ClaimedExchange {
  readonly id: string;
  readonly kind: ExchangeKind;
  readonly command: Uint8Array | null;
}

export interface ExchangeAnswer {
  readonly status: 'answered' | 'failed';
  readonly response: Uint8Array | null;
  readonly error: string | null;
}

/** The relay queue in PostgreSQL: any process sends, any process serves the agent's poll. */
export class RelayStore {
  constructor(
    private readonly knex: Knex,
    private readonly secrets: SealedBox,
  ) {}

  async enqueue(readerId: string, sessionId: string, kind: ExchangeKind, command: Uint8Array | null, now: Date): Promise<string> {
    const id = randomUUID();
    await this.knex.transaction(async (trx) => {
      await trx('reader_relay_exchanges').insert({
        id,
        reader_id: readerId,
        session_id: sessionId,
        kind,
        command_sealed: command ? this.secrets.seal(command, sealPurpose(id, 'command')) : null,
        status: 'pending',
        created_at: now,
      });
      await trx.raw('select pg_notify(?, ?)', [RELAY_COMMAND_CHANNEL, readerId]);
    });
    return id;
  }

  /** Takes the reader's oldest pending command, if any; SKIP LOCKED lets two polls never take the same one. */
  async claim(readerId: string, now: Date): Promise<ClaimedExchange | undefined> {
    const result = await this.knex.raw(
      `update reader_relay_exchanges set status = 'sent', sent_at = ?
        where id = (select id from reader_relay_exchanges where reader_id = ? and status = 'pending'
                     order by created_at limit 1 for update skip locked)
        returning id, kind, command_sealed`,
      [now, readerId],
    );
    const row = result.rows[0] as { id: string; kind: ExchangeKind; command_sealed: string | null } | undefined;
    if (!row) return undefined;
    return { id: row.id, kind: row.kind, command: row.command_sealed ? new Uint8Array(this.secrets.open(row.command_sealed, sealPurpose(row.id, 'command'))) : null };
  }

  /** Records the agent's answer; false when the exchange is not this reader's or was already answered. */
  async answer(readerId: string, id: string, answer: { response?: Uint8Array; error?: string }, now: Date): Promise<boolean> {
    return this.knex.transaction(async (trx) => {
      const updated = await trx('reader_relay_exchanges')
        .where({ id, reader_id: readerId, status: 'sent' })
        .update({
          status: answer.error ? 'failed' : 'answered',
          response_sealed: answer.response ? this.secrets.seal(answer.response, sealPurpose(id, 'response')) : null,
          error: answer.error ?? null,
          answered_at: now,
        });
      if (updated === 1) await trx.raw('select pg_notify(?, ?)', [RELAY_ANSWER_CHANNEL, id]);
      return updated === 1;
    });
  }

  /** The answer, once there is one; the row is deleted as it is read (it may carry a PIN). */
  async takeAnswer(id: string): Promise<ExchangeAnswer | undefined> {
    const rows = (await this.knex('reader_relay_exchanges').where({ id }).whereIn('status', ['answered', 'failed']).delete().returning(['status', 'response_sealed', 'error'])) as {
      status: 'answered' | 'failed';
      response_sealed: string | null;
      error: string | null;
    }[];
    const row = rows[0];
    if (!row) return undefined;
    return { status: row.status, response: row.response_sealed ? new Uint8Array(this.secrets.open(row.response_sealed, sealPurpose(id, 'response'))) : null, error: row.error };
  }

  /** Withdraws a command nobody answered in time. */
  async withdraw(id: string): Promise<void> {
    await this.knex('reader_relay_exchanges').where({ id }).delete();
  }
}
