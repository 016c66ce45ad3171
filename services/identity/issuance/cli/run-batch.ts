import type { Knex } from 'knex';
import { appendAudit, type AuditActor } from '../../../../shared/audit/index.js';
import { isTesseraError } from '../../../../shared/errors/index.js';
import { createCardholder } from '../../cardholders/index.js';
import { liveCardsOf } from '../../cards/index.js';
import type { IssuanceDeps } from '../issuance-deps.js';
import { issueCard } from '../issue-card.js';
import { generatePin } from '../pin-rules.js';
import type { PupilRow } from './batch-csv.js';

export type BatchOutcome = 'issued' | 'skipped' | 'failed';

export interface BatchResult {
  readonly row: number;
  readonly upn: string;
  readonly givenName: string;
  readonly familyName: string;
  readonly cardholderReference: string | null;
  readonly cardId: string | null;
  readonly outcome: BatchOutcome;
  /** Only a PIN this run generated (the results file is the PIN letter's source); never one from the input. */
  readonly generatedPin: string | null;
  readonly detail: string | null;
}

export interface BatchOptions {
  readonly deskReader: string;
  readonly algorithm: 'rsa2048' | 'p256';
  readonly activate: boolean;
  readonly actor: AuditActor;
  /** Called before each card is issued (a PC/SC desk waits for the next blank card there). */
  readonly beforeCard?: (pupil: PupilRow) => Promise<void>;
  readonly onResult?: (result: BatchResult) => void;
}

/**
 * Issues a card to every pupil of a checked batch, in file order: enrols a pupil the platform
 * does not know (by UPN), skips one who already has a card in use, and issues the rest. It stops
 * at the first failure, so a card pulled out stays in the reader for the re-run, which skips
 * every pupil done and resumes that card.
 */
export async function runBatch(deps: IssuanceDeps, pupils: readonly PupilRow[], options: BatchOptions): Promise<BatchResult[]> {
  const results: BatchResult[] = [];
  const report = (result: BatchResult) => {
    results.push(result);
    options.onResult?.(result);
  };
  for (const pupil of pupils) {
    const base = { row: pupil.row, upn: pupil.upn, givenName: pupil.givenName, familyName: pupil.familyName };
    let reference: string | null = null;
    try {
      const holder = await findOrEnrol(deps, pupil, options.actor);
      reference = holder.reference;
      if (holder.cardInUse) {
        report({ ...base, cardholderReference: reference, cardId: holder.cardInUse, outcome: 'skipped', generatedPin: null, detail: 'already has a card in use' });
        continue;
      }
      await options.beforeCard?.(pupil);
      const pin = pupil.pin ?? generatePin();
      const issued = await issueCard(deps, {
        cardholderId: holder.id,
        purpose: 'new',
        deskReader: options.deskReader,
        algorithm: options.algorithm,
        pin,
        activate: options.activate,
        actor: options.actor,
      });
      report({ ...base, cardholderReference: reference, cardId: issued.card.id, outcome: 'issued', generatedPin: pupil.pin ? null : pin, detail: issued.resumed ? 'resumed' : null });
    } catch (error) {
      const detail = isTesseraError(error) ? `${error.code}: ${error.message}` : String(error);
      report({ ...base, cardholderReference: reference, cardId: null, outcome: 'failed', generatedPin: null, detail });
      break;
    }
  }
  return results;
}

async function findOrEnrol(deps: IssuanceDeps, pupil: PupilRow, actor: AuditActor): Promise<{ id: string; reference: string; cardInUse: string | null }> {
  return deps.db.knex.transaction(async (trx: Knex.Transaction) => {
    const now = deps.now();
    const existing = await trx('cardholders').where({ pupil_upn: pupil.upn }).first('id', 'reference', 'status');
    if (existing) {
      const live = await liveCardsOf(trx, existing.id, { actor, now, certificates: deps.certificates });
      const inUse = live.find((c) => c.kind === 'standard' && c.status !== 'issuing');
      return { id: existing.id, reference: existing.reference, cardInUse: inUse?.id ?? null };
    }
    const created = await createCardholder(trx, { givenName: pupil.givenName, familyName: pupil.familyName, kind: 'pupil', pupilUpn: pupil.upn, orgUnit: pupil.orgUnit }, now);
    await appendAudit(trx, {
      actor,
      action: 'cardholder.create',
      subject: { kind: 'cardholder', id: created.id },
      details: { reference: created.reference, kind: 'pupil', source: 'batch' },
      at: now,
    });
    return { id: created.id, reference: created.reference, cardInUse: null };
  });
}
