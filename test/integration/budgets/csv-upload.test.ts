import { expect } from 'chai';
import { balanceOf, verifyLedger } from '../../../shared/ledger/index.js';
import { TesseraError } from '../../../shared/errors/index.js';
import { approveUpload, uploadCsv } from '../../../services/modules/budgets/csv-upload.js';
import { budgetsOf } from '../../../services/modules/budgets/budget-store.js';
import { contributionSummary } from '../../../services/modules/budgets/contributions.js';
import type { TestDatabase } from '../../support/test-database.js';
import { addCardholder } from '../catering/support/module-harness.js';
import { budgetsDatabase } from './support/budgets-fixture.js';

const HEADER = 'recipient,period_start,period_end,amount,categories';
const NOW = new Date('2026-11-25T10:00:00Z');

describe('budgets: CSV uploads', function () {
  this.timeout(60_000);
  let db: TestDatabase;
  const upload = (text: string, staffId = 'finance-1', thresholdPence = 10_000_000) => uploadCsv(db.knex, text, { staffId, now: NOW, thresholdPence });
  const problemsOf = async (text: string) => {
    try {
      await upload(text);
    } catch (error) {
      if (error instanceof TesseraError && error.code === 'ERR_BUDGET_CSV_INVALID') return error.extensions.errors;
      throw error;
    }
    throw new Error('the upload was accepted');
  };

  before(async () => {
    db = await budgetsDatabase();
  });
  after(async () => {
    expect((await verifyLedger(db)).problems).to.deep.equal([]);
  });

  it('reports every bad row with its row and field, and loads nothing', async () => {
    const a = await addCardholder(db.knex, 'care_recipient');
    const b = await addCardholder(db.knex, 'care_recipient');
    const pupil = await addCardholder(db.knex, 'pupil');
    const text = [
      HEADER,
      `${a.reference},2026-12-01,2026-12-28,1250.00,personal-care;transport`,
      `${b.reference},2026-12-01,2026-12-28,12.5,personal-care`,
      `TH-999999,2026-12-01,2026-12-28,100.00,personal-care`,
      `${a.reference},2026-12-01,2026-12-28,1250.00,personal-care;transport`,
      `${pupil.reference},2026-12-01,2026-12-28,100.00,personal-care`,
      `${b.reference},2026-12-01,2026-11-28,-4,Personal Care`,
      `${b.reference},2026-12-01,2026-12-28,100.00`,
    ].join('\r\n');
    expect(await problemsOf(text)).to.deep.equal([
      { row: 3, field: 'amount', message: '12.5 is not an amount in pounds greater than 0, e.g. 1250.00' },
      { row: 4, field: 'recipient', message: 'no care recipient TH-999999' },
      { row: 5, field: 'recipient', message: 'duplicate of row 2' },
      { row: 6, field: 'recipient', message: `no care recipient ${pupil.reference}` },
      { row: 7, field: 'period_end', message: 'the period ends before it starts' },
      { row: 7, field: 'amount', message: '-4 is not an amount in pounds greater than 0, e.g. 1250.00' },
      { row: 7, field: 'categories', message: 'categories must be a ;-separated list of lower-case names such as personal-care;transport' },
      { row: 8, field: '*', message: 'expected 5 fields, found 4 (are the fields separated by commas?)' },
    ]);
    expect(await budgetsOf(db.knex, a.id)).to.deep.equal([]);
  });

  it('reports a wrong encoding and a wrong delimiter', async () => {
    const a = await addCardholder(db.knex, 'care_recipient');
    // Latin-1 "é" in the categories of row 2 (what Excel's plain "CSV" gives), as the HTTP layer decodes it.
    const latin1 = Buffer.concat([Buffer.from(`${HEADER}\n${a.reference},2026-12-01,2026-12-28,10.00,caf`), Buffer.from([0xe9]), Buffer.from('\n')]).toString('utf8');
    expect(await problemsOf(latin1)).to.deep.equal([{ row: 2, field: 'categories', message: 'not valid UTF-8: save the file as "CSV UTF-8"' }]);
    const utf16 = Buffer.from(`\uFEFF${HEADER}\n`, 'utf16le').toString('utf8');
    expect(await problemsOf(utf16)).to.deep.equal([{ row: 1, field: '*', message: 'the file is not UTF-8 (it looks like UTF-16): save it as "CSV UTF-8"' }]);
    const semicolons = `${HEADER.replaceAll(',', ';')}\n${a.reference};2026-12-01;2026-12-28;10,00;personal-care\n`;
    expect(await problemsOf(semicolons)).to.deep.equal([{ row: 1, field: 'header', message: "the delimiter is ';': separate fields with commas" }]);
  });

  it('applies a good file all at once (a UTF-8 BOM is fine), and the same file again loads nothing', async () => {
    const a = await addCardholder(db.knex, 'care_recipient');
    const b = await addCardholder(db.knex, 'care_recipient');
    const text = `\uFEFF${HEADER}\n${a.reference},2026-12-01,2026-12-28,1250.00,personal-care;transport\n${b.id},2026-12-01,2026-12-28,99,personal-care\n`;
    const first = await upload(text);
    expect(first.replayed).to.equal(false);
    expect(first.upload).to.include({ rowCount: 2, totalPence: 134_900, status: 'applied' });
    const again = await upload(text);
    expect(again).to.deep.equal({ upload: first.upload, replayed: true });
    const [budgetA] = await budgetsOf(db.knex, a.id);
    const [budgetB] = await budgetsOf(db.knex, b.id);
    expect(budgetA).to.include({ periodStart: '2026-12-01', periodEnd: '2026-12-28' });
    expect(budgetA!.categories).to.deep.equal(['personal-care', 'transport']);
    expect(await balanceOf(db, budgetA!.accountId)).to.equal(125_000);
    expect(await balanceOf(db, budgetB!.accountId)).to.equal(9_900);
    // A different file that would give A a second December budget is refused whole: B's row is not loaded either.
    const c = await addCardholder(db.knex, 'care_recipient');
    const clash = `${HEADER}\n${c.reference},2026-12-01,2026-12-28,5.00,personal-care\n${a.reference},2026-12-15,2027-01-10,5.00,personal-care\n`;
    expect(await problemsOf(clash)).to.deep.equal([{ row: 3, field: 'period_start', message: 'the recipient already has a budget for 2026-12-01..2026-12-28' }]);
    const selfClash = `${HEADER}\n${c.reference},2027-01-01,2027-01-28,5.00,personal-care\n${c.reference},2027-01-20,2027-02-10,5.00,personal-care\n`;
    expect(await problemsOf(selfClash)).to.deep.equal([{ row: 3, field: 'period_start', message: 'overlaps the period of row 2 for the same recipient' }]);
    expect(await budgetsOf(db.knex, c.id)).to.deep.equal([]);
  });

  it('holds a file above the threshold for a second finance approver', async () => {
    const a = await addCardholder(db.knex, 'care_recipient');
    const text = `${HEADER}\n${a.reference},2027-01-01,2027-01-28,6000.00,personal-care\n`;
    const { upload: pending } = await upload(text, 'finance-1', 500_000);
    expect(pending).to.include({ status: 'pending', totalPence: 600_000 });
    expect(await budgetsOf(db.knex, a.id)).to.deep.equal([]);
    try {
      await approveUpload(db.knex, pending.id, 'finance-1', NOW);
      expect.fail('self-approval was accepted');
    } catch (error) {
      expect((error as TesseraError).code).to.equal('ERR_BUDGET_SELF_APPROVAL');
    }
    const approved = await approveUpload(db.knex, pending.id, 'finance-2', NOW);
    expect(approved).to.include({ status: 'applied', approvedBy: 'finance-2' });
    const [budget] = await budgetsOf(db.knex, a.id);
    expect(await balanceOf(db, budget!.accountId)).to.equal(600_000);
    expect(await approveUpload(db.knex, pending.id, 'finance-3', NOW)).to.deep.equal(approved);
    expect(await balanceOf(db, budget!.accountId)).to.equal(600_000);
  });

  it('takes an optional contribution column: loads net of it, and reports a bad contribution with its row and field', async () => {
    const a = await addCardholder(db.knex, 'care_recipient');
    const b = await addCardholder(db.knex, 'care_recipient');
    const header = `${HEADER},contribution`;
    const bad = [
      header,
      `${a.reference},2027-03-01,2027-03-28,400.00,personal-care,abc`,
      `${b.reference},2027-03-01,2027-03-28,400.00,personal-care,400.00`,
      `${b.reference},2027-04-01,2027-04-28,400.00,personal-care`,
    ].join('\n');
    expect(await problemsOf(bad)).to.deep.equal([
      { row: 2, field: 'contribution', message: 'abc is not an amount in pounds, e.g. 150.00' },
      { row: 3, field: 'contribution', message: 'the contribution 400.00 must be less than the amount 400.00' },
      { row: 4, field: '*', message: 'expected 6 fields, found 5 (are the fields separated by commas?)' },
    ]);
    expect(await problemsOf(`${HEADER},client_share\n`)).to.deep.equal([
      { row: 1, field: 'header', message: 'the header must be exactly recipient,period_start,period_end,amount,categories (optionally followed by ,contribution)' },
    ]);
    const good = `${header}\n${a.reference},2027-03-01,2027-03-28,400.00,personal-care,60.00\n${b.reference},2027-03-01,2027-03-28,400.00,personal-care,\n`;
    // The threshold counts the council's money: £340 + £400 = £740 is under £750 though the gross is £800.
    const { upload: applied } = await upload(good, 'finance-1', 75_000);
    expect(applied).to.include({ status: 'applied', totalPence: 74_000 });
    const [budgetA] = await budgetsOf(db.knex, a.id);
    const [budgetB] = await budgetsOf(db.knex, b.id);
    expect(await balanceOf(db, budgetA!.accountId)).to.equal(34_000);
    expect(await contributionSummary(db.knex, budgetA!.id)).to.deep.equal({ duePence: 6_000, paidPence: 0, outstandingPence: 6_000 });
    expect(await balanceOf(db, budgetB!.accountId)).to.equal(40_000);
    expect((await contributionSummary(db.knex, budgetB!.id)).duePence).to.equal(0);
  });
});
