import type { Knex } from 'knex';
import { systemActor } from '../../../shared/audit/index.js';
import { TesseraError } from '../../../shared/errors/index.js';
import type { Logger } from '../../../shared/logging/index.js';
import type { AuthMetrics } from '../auth-metrics.js';
import type { AuthSettings } from '../auth-settings.js';
import { ReaderConduct } from '../limits/reader-conduct.js';
import { TokenBuckets } from '../limits/token-buckets.js';
import type { ReaderRecord } from './reader-record.js';
import { flagReader } from './reader-store.js';

/** A flagged reader keeps working, at this fraction of the normal rate, until an admin looks. */
const FLAGGED_RATE_FACTOR = 0.25;
/** A desk reader relays issuance, two requests per card command: it gets this many times the rate. */
const DESK_RATE_FACTOR = 25;

/**
 * Per-reader admission: a token bucket per reader, so a flooding reader is throttled without
 * starving the others, and strikes that flag a misbehaving reader in the database (visible to
 * every process and to admins in GET /v1/readers?flagged=true).
 */
export class ReaderGate {
  readonly #buckets = new TokenBuckets();
  readonly #conduct: ReaderConduct;
  readonly #flagging = new Set<string>();

  constructor(
    private readonly knex: Knex,
    private readonly settings: AuthSettings,
    private readonly metrics: AuthMetrics,
    private readonly logger: Logger,
  ) {
    this.#conduct = new ReaderConduct({ limit: settings.strikeLimit });
  }

  /** Admits one request of `reader` or throws ERR_READER_THROTTLED (429, with Retry-After advice). */
  async admit(reader: ReaderRecord, now: Date): Promise<void> {
    const factor = (reader.flaggedAt ? FLAGGED_RATE_FACTOR : 1) * (reader.kind === 'desk' ? DESK_RATE_FACTOR : 1);
    const rate = Math.max(1, this.settings.readerRatePerSecond * factor);
    const burst = Math.max(1, this.settings.readerBurst * factor);
    if (this.#buckets.take(reader.id, now.getTime(), rate, burst)) return;
    this.metrics.readerThrottled.inc();
    await this.strike(reader, 'throttled', now);
    throw new TesseraError('ERR_READER_THROTTLED', `Reader ${reader.name} exceeds ${rate} requests per second`, { retryAfterSeconds: 1 });
  }

  /** Counts one strike; past the limit, flags the reader once (and audits it). */
  async strike(reader: ReaderRecord, reason: string, now: Date): Promise<void> {
    if (!this.#conduct.strike(reader.id, now.getTime())) return;
    if (reader.flaggedAt || this.#flagging.has(reader.id)) return;
    this.#flagging.add(reader.id);
    try {
      const flagged = await this.knex.transaction((trx) =>
        flagReader(trx, reader.id, `more than ${this.settings.strikeLimit} strikes in a minute, last: ${reason}`, { actor: systemActor('auth.reader-conduct'), now }),
      );
      if (flagged) {
        this.metrics.readersFlagged.inc();
        this.logger.warn({ readerId: reader.id, reader: reader.name, reason }, 'reader flagged for misbehaviour');
      }
    } catch (error) {
      this.logger.error({ err: (error as Error).message, readerId: reader.id }, 'could not flag a reader');
    } finally {
      this.#flagging.delete(reader.id);
      this.#conduct.reset(reader.id);
    }
  }
}
