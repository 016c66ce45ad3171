import type { Knex } from 'knex';
import type { Database } from '../../../shared/db/index.js';
import type { Assurance } from '../../../shared/modules/index.js';
import { MicroBatcher } from './micro-batcher.js';

/** A tap as the challenge left it, before or after its answer. */
export interface ChallengeRow {
  readonly id: string;
  readonly readerId: string;
  readonly purpose: string;
  readonly target: string;
  readonly challenge: Buffer;
  readonly expiresAt: Date;
  readonly consumedAt: Date | null;
}

/** What is written on the tap row when it is decided: the record of the tap. */
export interface TapRecord {
  readonly decision: 'granted' | 'denied' | null;
  readonly reason: string | null;
  readonly assurance: Assurance | null;
  readonly cardId: string | null;
  readonly cardholderId: string | null;
  readonly fingerprint: string | null;
  readonly issuer: string | null;
  readonly module: string | null;
}

const INSERT_COLUMNS = 7;
const insertSql = remembered((rows) => `insert into taps (id, reader_id, purpose, target, challenge, created_at, expires_at) values ${placeholders(rows, INSERT_COLUMNS)}`);
const READ = `select id, reader_id, purpose, target, challenge, expires_at, consumed_at from taps where id = $1`;
const RECORD_COLUMNS = `decision = $4, reason = $5, assurance = $6, card_id = $7, cardholder_id = $8, certificate_fingerprint = $9, issuer = $10, module = $11, decided_at = $12`;
/**
 * Consumes the challenge and writes what is known of the tap, in one conditional UPDATE: it
 * only matches while the challenge is unused, unexpired and bound to this reader, so of any
 * number of concurrent answers, on any number of processes, exactly one matches.
 */
const CONSUME = `update taps set consumed_at = $3, ${RECORD_COLUMNS} where id = $1 and reader_id = $2 and consumed_at is null and expires_at > $3`;
/** CONSUME for many taps in one statement; each row keeps its own condition, RETURNING says which matched. */
const CONSUME_COLUMNS = 12;
const CONSUME_TYPES = ['uuid', 'uuid', 'timestamptz', 'text', 'text', 'text', 'uuid', 'uuid', 'text', 'text', 'text', 'timestamptz'];
const consumeManySql = remembered(
  (rows) => `update taps t set consumed_at = v.now, decision = v.decision, reason = v.reason, assurance = v.assurance, card_id = v.card_id,
     cardholder_id = v.cardholder_id, certificate_fingerprint = v.fingerprint, issuer = v.issuer, module = v.module, decided_at = v.decided_at
   from (values ${placeholders(rows, CONSUME_COLUMNS, CONSUME_TYPES)})
     as v(id, reader_id, now, decision, reason, assurance, card_id, cardholder_id, fingerprint, issuer, module, decided_at)
   where t.id = v.id and t.reader_id = v.reader_id and t.consumed_at is null and t.expires_at > v.now
   returning t.id`,
);

/** The statement text for each batch size, built once. */
function remembered(build: (rows: number) => string): (rows: number) => string {
  const texts = new Map<number, string>();
  return (rows) => {
    let text = texts.get(rows);
    if (text === undefined) texts.set(rows, (text = build(rows)));
    return text;
  };
}

function placeholders(rows: number, columns: number, types?: readonly string[]): string {
  const tuples: string[] = [];
  for (let r = 0; r < rows; r++) {
    const cells = Array.from({ length: columns }, (_, c) => `$${r * columns + c + 1}${types ? `::${types[c]}` : ''}`);
    tuples.push(`(${cells.join(', ')})`);
  }
  return tuples.join(', ');
}
const CLOSE_EXPIRED = `update taps set consumed_at = $3, ${RECORD_COLUMNS} where id = $1 and reader_id = $2 and consumed_at is null`;
/** The module's decision, on the row this answer consumed (consumed_at is the answer's own time). */
const RECORD = `update taps set ${RECORD_COLUMNS} where id = $1 and reader_id = $2 and consumed_at = $3`;

interface PgConnection {
  query(config: { name: string; text: string; values: unknown[] }): Promise<{ rowCount: number | null; rows: Record<string, any>[] }>;
}

/**
 * The statements of the tap path. On PostgreSQL they run as named prepared statements on a
 * pooled connection (parsed and planned once per connection: the server shares two cores with
 * everything else); on the embedded database through knex.
 */
export class ChallengeStore {
  readonly #knex: Knex;
  readonly #prepared: boolean;
  readonly #inserts: MicroBatcher<unknown[], void>;
  readonly #consumes: MicroBatcher<unknown[], boolean>;

  constructor(db: Database) {
    this.#knex = db.knex;
    this.#prepared = db.kind === 'postgres';
    this.#inserts = new MicroBatcher<unknown[], void>(async (rows) => {
      await this.#run(`tessera_tap_insert_${rows.length}`, insertSql(rows.length), rows.flat());
      return rows.map(() => undefined);
    });
    this.#consumes = new MicroBatcher((rows) => this.#consumeMany(rows));
  }

  /** Stores a new challenge; challenges issued in the same event-loop turn share one INSERT. */
  async insert(row: Omit<ChallengeRow, 'consumedAt'> & { createdAt: Date }): Promise<void> {
    await this.#inserts.add([row.id, row.readerId, row.purpose, row.target, row.challenge, row.createdAt, row.expiresAt]);
  }

  async read(id: string): Promise<ChallengeRow | undefined> {
    const { rows } = await this.#run('tessera_tap_read', READ, [id]);
    const row = rows[0];
    if (!row) return undefined;
    return {
      id: row.id,
      readerId: row.reader_id,
      purpose: row.purpose,
      target: row.target,
      challenge: Buffer.from(row.challenge),
      expiresAt: new Date(row.expires_at),
      consumedAt: row.consumed_at ? new Date(row.consumed_at) : null,
    };
  }

  /** True when this answer consumed the challenge (see CONSUME); answers in the same turn share one UPDATE. */
  consume(tap: { id: string; readerId: string }, now: Date, record: TapRecord): Promise<boolean> {
    return this.#consumes.add(recordValues(tap, now, record));
  }

  async #consumeMany(rows: unknown[][]): Promise<boolean[]> {
    // One answer per tap per statement: a second answer of the same tap in this batch loses at once.
    const seen = new Set<unknown>();
    const unique = rows.filter((row) => !seen.has(row[0]) && seen.add(row[0]));
    // Rows locked in id order, the same in every process, so two batches never deadlock each other.
    unique.sort((a, b) => String(a[0]).localeCompare(String(b[0])));
    let consumed: Set<unknown>;
    if (unique.length === 1) {
      consumed = (await this.#run('tessera_tap_consume', CONSUME, unique[0]!)).rowCount === 1 ? new Set([unique[0]![0]]) : new Set();
    } else {
      const { rows: returned } = await this.#run(`tessera_tap_consume_${unique.length}`, consumeManySql(unique.length), unique.flat());
      consumed = new Set(returned.map((r) => r.id));
    }
    const winners = new Set(unique);
    return rows.map((row) => winners.has(row) && consumed.has(row[0]));
  }

  /** Closes an expired, unanswered challenge with its denial (so the record shows the late answer). */
  async closeExpired(tap: { id: string; readerId: string }, now: Date, record: TapRecord): Promise<void> {
    await this.#run('tessera_tap_close_expired', CLOSE_EXPIRED, recordValues(tap, now, record));
  }

  /** Writes the module's decision on a tap consumed before the module was asked. */
  async record(tap: { id: string; readerId: string }, now: Date, record: TapRecord): Promise<void> {
    await this.#run('tessera_tap_record', RECORD, recordValues(tap, now, record));
  }

  async #run(name: string, text: string, values: unknown[]): Promise<{ rowCount: number; rows: Record<string, any>[] }> {
    if (!this.#prepared) {
      // knex binds by position: each $n becomes a ? with its value, in the order they appear.
      const bindings: unknown[] = [];
      const sql = text.replace(/\$(\d+)/g, (_, n: string) => (bindings.push(values[Number(n) - 1]), '?'));
      const result = (await this.#knex.raw(sql, bindings as Knex.RawBinding[])) as { rowCount?: number; affectedRows?: number; rows: Record<string, any>[] };
      return { rowCount: result.rowCount ?? result.affectedRows ?? 0, rows: result.rows ?? [] };
    }
    const client = this.#knex.client as { acquireConnection(): Promise<PgConnection>; releaseConnection(c: PgConnection): Promise<void> };
    const connection = await client.acquireConnection();
    try {
      const result = await connection.query({ name, text, values });
      return { rowCount: result.rowCount ?? 0, rows: result.rows };
    } finally {
      await client.releaseConnection(connection);
    }
  }
}

function recordValues(tap: { id: string; readerId: string }, now: Date, record: TapRecord): unknown[] {
  return [tap.id, tap.readerId, now, record.decision, record.reason, record.assurance, record.cardId, record.cardholderId, record.fingerprint, record.issuer, record.module, record.decision ? now : null];
}
