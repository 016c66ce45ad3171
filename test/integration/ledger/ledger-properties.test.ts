import { expect } from 'chai';
import fc from 'fast-check';
import { sharedTestDatabase, type TestDatabase } from '../../support/test-database.js';
import { openAccount, TransferBatcher, transfer, verifyLedger, type AccountKind, type TransferInput, type TransferOutcome } from '../../../shared/ledger/index.js';
import { newKey } from './support/ledger-fixtures.js';
import { LedgerModel, type Prediction } from './support/ledger-model.js';

type Op =
  | { t: 'open'; kind: AccountKind; currency: 'GBP' | 'EUR'; floor: number | null | undefined }
  | { t: 'transfer'; from: number; to: number; amount: number; wrongCurrency: boolean }
  | { t: 'replay'; of: number; changeBody: boolean }
  | { t: 'reverse'; of: number; portion: 'all' | 'half' | 'more' }
  | { t: 'burst'; items: { from: number; to: number; amount: number }[] };

const index = fc.nat({ max: 40 });
/** Half the debits come from a funding account (0 = GBP, 1 = EUR), so money flows and later debits can succeed. */
const source = fc.oneof({ weight: 3, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.constant(1) }, { weight: 4, arbitrary: index });
const opArbitrary: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 2,
    arbitrary: fc.record({
      t: fc.constant('open' as const),
      kind: fc.constantFrom<AccountKind>('purse', 'budget', 'provider', 'till_takings', 'funding', 'suspense'),
      currency: fc.constantFrom('GBP' as const, 'GBP' as const, 'EUR' as const),
      floor: fc.option(fc.option(fc.integer({ min: -500, max: 0 }), { nil: null }), { nil: undefined }),
    }),
  },
  { weight: 5, arbitrary: fc.record({ t: fc.constant('transfer' as const), from: source, to: index, amount: fc.integer({ min: 1, max: 3000 }), wrongCurrency: fc.boolean().map((b) => b && Math.random() < 0.2) }) },
  { weight: 3, arbitrary: fc.record({ t: fc.constant('replay' as const), of: index, changeBody: fc.boolean() }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant('reverse' as const), of: index, portion: fc.constantFrom('all' as const, 'half' as const, 'more' as const) }) },
  {
    weight: 2,
    arbitrary: fc.record({
      t: fc.constant('burst' as const),
      items: fc.array(fc.record({ from: source, to: index, amount: fc.integer({ min: 1, max: 3000 }) }), { minLength: 2, maxLength: 6 }),
    }),
  },
);

const pick = <T>(list: readonly T[], i: number): T | undefined => (list.length === 0 ? undefined : list[i % list.length]);

async function outcomeOf(work: Promise<TransferOutcome>): Promise<{ prediction: Prediction; transferId?: string }> {
  try {
    const outcome = await work;
    return { prediction: outcome.replayed ? 'replayed' : 'applied', transferId: outcome.result.transfer.id };
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (!code?.startsWith('ERR_')) throw error;
    return { prediction: code };
  }
}

describe('ledger: properties (random operation sequences against a reference model)', function () {
  this.timeout(180_000);
  let db: TestDatabase;
  const tally = new Map<string, number>();
  after(() => {
    if (process.env.LEDGER_PROPERTY_STATS) console.log(Object.fromEntries(tally));
  });
  before(async () => {
    db = await sharedTestDatabase();
  });

  it('keeps every invariant: each result as predicted, balances as the model, sums zero per currency, replays change nothing', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(opArbitrary, { minLength: 5, maxLength: 30 }), async (ops) => {
        const model = new LedgerModel();
        const batcher = new TransferBatcher(db);
        const sent: TransferInput[] = [];
        const accountIds: string[] = [];
        // Funding first (indices 0 and 1), then a few accounts so most pairs are distinct and in one currency.
        const starters: [AccountKind, string][] = [
          ['funding', 'GBP'], ['funding', 'EUR'], ['purse', 'GBP'], ['purse', 'GBP'], ['purse', 'GBP'],
          ['budget', 'GBP'], ['provider', 'GBP'], ['till_takings', 'GBP'], ['suspense', 'GBP'], ['purse', 'EUR'],
        ];
        for (const [kind, currency] of starters) {
          const account = await openAccount(db, { kind, currency });
          model.addAccount({ id: account.id, currency, floor: account.floor, balance: 0 });
          accountIds.push(account.id);
        }
        const request = (from: number, to: number, amount: number, wrongCurrency = false): TransferInput => {
          const debitAccountId = pick(accountIds, from)!;
          const currency = model.accounts.get(debitAccountId)!.currency;
          return {
            idempotencyKey: newKey(),
            debitAccountId,
            creditAccountId: pick(accountIds, to)!,
            amount,
            currency: wrongCurrency ? (currency === 'GBP' ? 'EUR' : 'GBP') : currency,
            reason: 'property',
            module: 'test',
          };
        };
        const run = async (input: TransferInput, via: (i: TransferInput) => Promise<TransferOutcome>) => {
          const expected = model.predict(input);
          const actual = await outcomeOf(via(input));
          return { input, expected, actual };
        };
        const settle = ({ input, expected, actual }: Awaited<ReturnType<typeof run>>) => {
          expect(actual.prediction, `${JSON.stringify(input)}`).to.equal(expected);
          if (process.env.LEDGER_PROPERTY_STATS) tally.set(expected, (tally.get(expected) ?? 0) + 1);
          model.apply(input, expected, actual.transferId ?? '');
          sent.push(input);
        };

        for (const op of ops) {
          if (op.t === 'open') {
            const account = await openAccount(db, { kind: op.kind, currency: op.currency, ...(op.floor === undefined ? {} : { floor: op.floor }) });
            model.addAccount({ id: account.id, currency: account.currency, floor: account.floor, balance: 0 });
            accountIds.push(account.id);
          } else if (op.t === 'transfer') {
            settle(await run(request(op.from, op.to, op.amount, op.wrongCurrency), (i) => transfer(db, i)));
          } else if (op.t === 'replay') {
            const earlier = pick(sent, op.of);
            if (earlier) settle(await run(op.changeBody ? { ...earlier, amount: earlier.amount + 1 } : earlier, (i) => transfer(db, i)));
          } else if (op.t === 'reverse') {
            const original = pick([...model.transfers.values()], op.of);
            if (original) {
              const amount = op.portion === 'all' ? original.amount : op.portion === 'half' ? Math.ceil(original.amount / 2) : original.amount + 1;
              const input = { ...request(accountIds.indexOf(original.credit), 0, amount), creditAccountId: original.debit, reversesTransferId: original.id };
              settle(await run(input, (i) => transfer(db, i)));
            }
          } else {
            // Sent together: the batching engine decides them in arrival order, as the model does.
            const inputs = op.items.map((item) => request(item.from, item.to, item.amount));
            const predictions: Prediction[] = [];
            for (const input of inputs) {
              const p = model.predict(input);
              predictions.push(p);
              model.apply(input, p, `burst-${input.idempotencyKey}`);
            }
            const actual = await Promise.all(inputs.map((input) => outcomeOf(batcher.transfer(input))));
            expect(actual.map((a) => a.prediction)).to.deep.equal(predictions);
            if (process.env.LEDGER_PROPERTY_STATS) for (const p of predictions) tally.set(`burst ${p}`, (tally.get(`burst ${p}`) ?? 0) + 1);
            // Replace the placeholder ids with the real ones so later reversals can find them.
            for (const [i, input] of inputs.entries()) {
              const placeholder = model.transfers.get(`burst-${input.idempotencyKey}`);
              if (placeholder && actual[i]!.transferId) {
                model.transfers.delete(placeholder.id);
                model.transfers.set(actual[i]!.transferId!, { ...placeholder, id: actual[i]!.transferId! });
                model.requests.set(input.idempotencyKey, { ...model.requests.get(input.idempotencyKey)!, transferId: actual[i]!.transferId! });
              }
              sent.push(input);
            }
          }
        }
        await batcher.close();

        const rows = (await db.knex('ledger_accounts').whereIn('id', accountIds).select('id', 'currency', 'balance')) as { id: string; currency: string; balance: string }[];
        const sums = new Map<string, number>();
        for (const row of rows) {
          expect(Number(row.balance), `balance of ${row.id}`).to.equal(model.accounts.get(row.id)!.balance);
          const floor = model.accounts.get(row.id)!.floor;
          if (floor !== null) expect(Number(row.balance)).to.be.at.least(floor);
          sums.set(row.currency, (sums.get(row.currency) ?? 0) + Number(row.balance));
        }
        for (const total of sums.values()) expect(total).to.equal(0);
        const verification = await verifyLedger(db);
        expect(verification.problems).to.deep.equal([]);
      }),
      { numRuns: 30 },
    );
  });
});
