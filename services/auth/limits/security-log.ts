import type { Knex } from 'knex';
import { appendAudit } from '../../../shared/audit/index.js';
import type { Logger } from '../../../shared/logging/index.js';

/** At most this many rejections per reader per minute reach the audit chain from one process. */
const AUDITED_PER_MINUTE = 10;

/**
 * Audits refusals that matter for security (forged, replayed or misdirected responses, a
 * suspended reader calling): each becomes a `tap.rejected` row in the hash-chained audit log.
 * A flooding reader cannot flood the chain (whose head is a single lock): past a few rows a
 * minute the rest are counted and the count goes into the next row that is written.
 */
export class SecurityLog {
  readonly #windows = new Map<string, { start: number; written: number; suppressed: number }>();

  constructor(
    private readonly knex: Knex,
    private readonly logger: Logger,
  ) {}

  async rejected(readerId: string, reason: string, details: Record<string, unknown>, at: Date): Promise<void> {
    const nowMs = at.getTime();
    let window = this.#windows.get(readerId);
    if (!window || nowMs - window.start >= 60_000) {
      window = { start: nowMs, written: 0, suppressed: window?.suppressed ?? 0 };
      this.#windows.set(readerId, window);
      if (this.#windows.size > 10_000) this.#windows.delete(this.#windows.keys().next().value!);
    }
    if (window.written >= AUDITED_PER_MINUTE) {
      window.suppressed++;
      return;
    }
    window.written++;
    const suppressed = window.suppressed;
    window.suppressed = 0;
    try {
      await this.knex.transaction((trx) =>
        appendAudit(trx, {
          actor: { kind: 'reader', id: readerId },
          action: 'tap.rejected',
          subject: { kind: 'reader', id: readerId },
          details: { reason, ...details, ...(suppressed > 0 ? { alsoRejectedUnaudited: suppressed } : {}) },
          at,
        }),
      );
    } catch (error) {
      // The refusal stands whether or not its audit row could be written; say so in the log.
      this.logger.error({ err: (error as Error).message, readerId, reason }, 'could not audit a tap rejection');
    }
  }
}
