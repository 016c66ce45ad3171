import { createHash, randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { appendAudit } from '../../../shared/audit/index.js';
import { TesseraError } from '../../../shared/errors/index.js';
import { pence } from './budget-store.js';
import { addLoadIn, createBudgetIn } from './budgets.js';
import { checkCsv, type CsvRow } from './csv-rows.js';

export interface Upload {
  readonly id: string;
  readonly sha256: string;
  readonly rowCount: number;
  readonly totalPence: number;
  readonly status: 'applied' | 'pending';
  readonly uploadedBy: string;
  readonly approvedBy: string | null;
}

/**
 * A CSV upload: checked row by row (every problem reported, nothing loaded), then applied all
 * or nothing in one transaction. The same file uploaded again (same SHA-256) answers the first
 * upload and loads nothing. A file whose total is above the threshold waits, whole, for a
 * second finance approver.
 */
export async function uploadCsv(db: Knex, text: string, actor: { staffId: string; now: Date; thresholdPence: number }): Promise<{ upload: Upload; replayed: boolean }> {
  const sha256 = createHash('sha256').update(text, 'utf8').digest('hex');
  const earlier = await db('budget_uploads').where({ sha256 }).first();
  if (earlier) return { upload: uploadOf(earlier), replayed: true };
  const { rows, problems } = await checkCsv(db, text);
  if (problems.length > 0) throw new TesseraError('ERR_BUDGET_CSV_INVALID', `${problems.length} problem(s); nothing was loaded`, { errors: problems });
  // What the council loads: the second approver guards its money, net of client contributions.
  const totalPence = rows.reduce((sum, r) => sum + r.amountPence - (r.contributionPence ?? 0), 0);
  const pending = totalPence > actor.thresholdPence;
  try {
    return await db.transaction(async (trx) => {
      const id = randomUUID();
      await trx('budget_uploads').insert({
        id, sha256, rows: JSON.stringify(rows), row_count: rows.length, total_pence: totalPence,
        status: pending ? 'pending' : 'applied', uploaded_by: actor.staffId, created_at: actor.now, applied_at: pending ? null : actor.now,
      });
      await appendAudit(trx, { actor: { kind: 'staff', id: actor.staffId }, action: 'budget.upload', subject: { kind: 'budget-upload', id }, details: { sha256, rowCount: rows.length, totalPence, needsApproval: pending }, at: actor.now });
      if (!pending) await applyRows(trx, id, rows, actor.staffId, actor.now);
      return { upload: uploadOf(await trx('budget_uploads').where({ id }).first()), replayed: false };
    });
  } catch (error) {
    // The same file uploaded twice at once: the second meets the unique SHA-256 and answers the first.
    if ((error as { code?: string }).code === '23505' && String((error as Error).message).includes('sha256')) {
      return { upload: uploadOf(await db('budget_uploads').where({ sha256 }).first()), replayed: true };
    }
    throw error;
  }
}

export async function approveUpload(db: Knex, uploadId: string, staffId: string, now: Date): Promise<Upload> {
  return db.transaction(async (trx) => {
    const row = /^[0-9a-f-]{36}$/i.test(uploadId) ? await trx('budget_uploads').where({ id: uploadId.toLowerCase() }).forUpdate().first() : undefined;
    if (!row) throw new TesseraError('ERR_BUDGET_LOAD_NOT_FOUND', `No upload ${uploadId}`, { uploadId });
    if (row.status === 'applied') return uploadOf(row);
    if (row.uploaded_by === staffId) throw new TesseraError('ERR_BUDGET_SELF_APPROVAL', 'Another member of finance staff must approve this upload');
    const rows = (typeof row.rows === 'string' ? JSON.parse(row.rows) : row.rows) as CsvRow[];
    await applyRows(trx, row.id, rows, row.uploaded_by, now);
    await trx('budget_uploads').where({ id: row.id }).update({ status: 'applied', approved_by: staffId, applied_at: now });
    await appendAudit(trx, { actor: { kind: 'staff', id: staffId }, action: 'budget.upload-approve', subject: { kind: 'budget-upload', id: row.id }, details: { rowCount: row.row_count, totalPence: pence(row.total_pence), uploadedBy: row.uploaded_by }, at: now });
    return uploadOf(await trx('budget_uploads').where({ id: row.id }).first());
  });
}

async function applyRows(trx: Knex.Transaction, uploadId: string, rows: readonly CsvRow[], staffId: string, now: Date): Promise<void> {
  for (const row of rows) {
    let budget;
    try {
      budget = await createBudgetIn(trx, row, { staffId, creationKey: null, now });
    } catch (error) {
      if (error instanceof TesseraError && error.code === 'ERR_BUDGET_CONFLICT') {
        throw new TesseraError('ERR_BUDGET_CSV_INVALID', 'A row overlaps a budget the recipient already has; nothing was loaded', {
          errors: [{ row: row.row, field: 'period_start', message: error.message }],
        });
      }
      throw error;
    }
    const contributionPence = row.contributionPence ?? 0;
    await addLoadIn(trx, budget, row.amountPence - contributionPence, { staffId, idempotencyKey: `upload:${uploadId}:${row.row}`, uploadId, now, needsApproval: false, contributionPence });
  }
}

function uploadOf(row: Record<string, unknown>): Upload {
  return {
    id: String(row.id), sha256: String(row.sha256), rowCount: Number(row.row_count), totalPence: pence(row.total_pence),
    status: row.status as Upload['status'], uploadedBy: String(row.uploaded_by), approvedBy: (row.approved_by as string | null) ?? null,
  };
}
