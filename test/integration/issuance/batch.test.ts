import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { systemActor } from '../../../shared/audit/index.js';
import { isTesseraError } from '../../../shared/errors/index.js';
import { parseBatchCsv } from '../../../services/identity/issuance/cli/batch-csv.js';
import { runBatch } from '../../../services/identity/issuance/cli/run-batch.js';
import { brokenPinRule } from '../../../services/identity/issuance/index.js';
import { runCli } from '../../support/platform-process.js';
import { createTestDatabase, onPostgres } from '../../support/test-database.js';
import { channelOf, checkUsableCard } from './card-check.js';
import { DESK, issuanceFixture, type IssuanceFixture } from './issuance-fixture.js';

const upn = () => `K${String(Math.floor(Math.random() * 1e11)).padStart(11, '0')}${'ABCDEFGHJKLMNPQRTUVWXYZ'[Math.floor(Math.random() * 23)]}`;

describe('tessera issue --batch: a school year of pupils', function () {
  let f: IssuanceFixture;
  before(async function () {
    // PGlite start-up and the CA's keys take a while on a loaded machine.
    this.timeout(120_000);
    f = await issuanceFixture();
  });
  after(() => f?.dispose());

  const options = { deskReader: DESK, algorithm: 'p256', activate: false, actor: systemActor('test') } as const;

  it('names every bad row and field, and issues nothing from a file with one', () => {
    let error: unknown;
    try {
      parseBatchCsv('given_name,family_name,upn,pin\nAda,Byron,A12345678901B,123456\n,Turing,nope,\nGrace,Hopper,A12345678901B,4455\n');
    } catch (e) {
      error = e;
    }
    expect(isTesseraError(error) && error.code).to.equal('ERR_BATCH_INVALID');
    expect((error as { extensions: { problems: string[] } }).extensions.problems).to.deep.equal([
      'row 1, pin: a PIN may not be a simple sequence, up or down (e.g. 123456, 987654, 890123)',
      'row 2, given_name: is empty',
      'row 2, upn: "NOPE" is not a UPN (a letter, 11 digits, then a digit or letter)',
      'row 3, upn: the same UPN as row 1',
      'row 3, pin: a PIN is 6 to 8 digits long',
    ]);
  });

  it('enrols missing pupils, issues each a card, generates PINs, and skips them all on a re-run', async () => {
    const known = await f.enrol({ kind: 'pupil', pupilUpn: upn() });
    const knownUpn = (await f.db.knex('cardholders').where({ id: known.id }).first()).pupil_upn;
    const csv = `Given_Name,family_name,upn,org_unit,pin\nAda,Byron,${upn()},Year 7,\nCharles,Babbage,${upn()},Year 7,583920\nTest,Holder,${knownUpn},,\n`;
    const pupils = parseBatchCsv(csv);
    const results = await runBatch(f.deps, pupils, options);
    expect(results.map((r) => r.outcome)).to.deep.equal(['issued', 'issued', 'issued']);
    expect(results[2]!.cardholderReference).to.equal(known.reference);
    expect(results[1]!.generatedPin).to.equal(null);
    const generated = results[0]!.generatedPin!;
    expect(brokenPinRule(generated)).to.equal(undefined);
    await checkUsableCard(channelOf(f.stock.issuedCard(results[0]!.cardId!)!), { cardId: results[0]!.cardId!, pin: generated, algorithm: 'p256' });
    const holder = await f.db.knex('cardholders').where({ pupil_upn: pupils[0]!.upn }).first();
    expect(holder).to.include({ kind: 'pupil', given_name: 'Ada', org_unit: 'Year 7' });
    const again = await runBatch(f.deps, pupils, options);
    expect(again.map((r) => r.outcome)).to.deep.equal(['skipped', 'skipped', 'skipped']);
    expect(again.map((r) => r.cardId)).to.deep.equal(results.map((r) => r.cardId));
  });

  it('stops at a card pulled out; the re-run skips the done rows and resumes that card', async () => {
    const pupils = parseBatchCsv(`given_name,family_name,upn\nA,One,${upn()}\nB,Two,${upn()}\nC,Three,${upn()}\n`);
    let issuedSoFar = 0;
    const failing = {
      ...options,
      beforeCard: async () => {
        if (issuedSoFar++ === 1) f.flaky.failAfter = { apdus: 12, when: 'after' };
      },
    };
    const first = await runBatch(f.deps, pupils, failing);
    f.flaky.failAfter = undefined;
    expect(first.map((r) => r.outcome)).to.deep.equal(['issued', 'failed']);
    expect(first[1]!.detail).to.match(/^ERR_CARD_REMOVED/);
    const second = await runBatch(f.deps, pupils, options);
    expect(second.map((r) => [r.outcome, r.detail])).to.deep.equal([
      ['skipped', 'already has a card in use'],
      ['issued', 'resumed'],
      ['issued', null],
    ]);
  });

  it('runs as `tessera issue --batch` and writes a private results CSV', async function () {
    this.timeout(180_000);
    const dir = mkdtempSync(join(tmpdir(), 'tessera-batch-'));
    const db = onPostgres ? await createTestDatabase({ migrate: false }) : undefined;
    try {
      const batch = join(dir, 'pupils.csv');
      writeFileSync(batch, `given_name,family_name,upn,org_unit\nAda,Byron,${upn()},Year 7\n`);
      writeFileSync(join(dir, 'bad.csv'), 'given_name,family_name\nA,B\n');
      const env = {
        TESSERA_DATA_DIR: join(dir, 'data'),
        ...(db ? { DATABASE_URL: db.url, TESSERA_KEK: randomBytes(32).toString('base64') } : {}),
      };
      const bad = await runCli(['issue', '--batch', join(dir, 'bad.csv'), '--desk', 'sim:CLI desk'], env);
      expect(bad.code).to.equal(65);
      expect(bad.stderr).to.include('header, upn: required column is missing');
      const run = await runCli(['issue', '--batch', batch, '--desk', 'sim:CLI desk'], env, { timeoutMs: 170_000 });
      expect(run.code, run.stderr).to.equal(0);
      expect(run.stdout).to.include('1 issued, 0 skipped, 0 failed');
      const results = join(dir, 'pupils.results.csv');
      expect(statSync(results).mode & 0o777).to.equal(0o600);
      const [header, row] = readFileSync(results, 'utf8').trim().split('\r\n');
      expect(header).to.equal('row,upn,given_name,family_name,cardholder_reference,card_id,outcome,generated_pin,detail');
      expect(row).to.match(/^1,K\d{11}[A-Z],Ada,Byron,TH-\d{6},[0-9a-f-]{36},issued,\d{6},$/);
    } finally {
      await db?.dispose();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
