import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import { sharedTestDatabase, type TestDatabase } from '../../support/test-database.js';
import { startTestPlatform, type TestPlatform } from '../../support/test-platform.js';
import { openAccount, transfer } from '../../../shared/ledger/index.js';
import { ledgerService } from '../../../services/ledger/index.js';
import { testStaff, trustedStaffAuthenticator } from '../../../services/ledger/testing/trusted-staff.js';
import { fundedPurse, newKey } from './support/ledger-fixtures.js';

for (const batching of [true, false]) {
  describe(`ledger: HTTP API (${batching ? 'batching engine' : 'plain path'})`, () => {
    let db: TestDatabase;
    let platform: TestPlatform;
    before(async () => {
      db = await sharedTestDatabase();
      platform = await startTestPlatform({ db, services: [ledgerService({ batching })], authenticate: trustedStaffAuthenticator(testStaff) });
    });
    after(() => platform.close());

    const call = (method: string, path: string, options: { body?: unknown; token?: string; key?: string; raw?: string } = {}) =>
      fetch(`${platform.baseUrl}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${options.token ?? 'finance-token'}`,
          ...(options.body !== undefined || options.raw !== undefined ? { 'content-type': 'application/json' } : {}),
          ...(options.key ? { 'idempotency-key': options.key } : {}),
        },
        ...(options.raw !== undefined ? { body: options.raw } : options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
      });

    // Response bodies are checked field by field below; their shape is the API's, not a TS type.
    const json = async (response: Response): Promise<any> => response.json();

    async function expectProblem(response: Response, status: number, code: string) {
      expect(response.status, await response.clone().text()).to.equal(status);
      expect(response.headers.get('content-type')).to.match(/^application\/problem\+json/);
      expect((await json(response)).code).to.equal(code);
    }

    it('opens an account, moves money with an Idempotency-Key, and shows balance and statement', async () => {
      const opened = await call('post', '/v1/ledger/accounts', { body: { kind: 'purse', label: 'Ada', ownerRef: 'cardholder-1' } });
      expect(opened.status).to.equal(201);
      const purse = await json(opened);
      expect(purse).to.include({ kind: 'purse', currency: 'GBP', floor: 0, balance: 0, ownerRef: 'cardholder-1' });
      const funding = await json(await call('post', '/v1/ledger/accounts', { body: { kind: 'funding' } }));
      expect(funding.floor).to.equal(null);

      const key = newKey();
      const body = { debitAccountId: funding.id, creditAccountId: purse.id, amount: 1500, currency: 'GBP', reason: 'weekly load', metadata: { batch: 7 } };
      const first = await call('post', '/v1/ledger/transfers', { body, key });
      expect(first.status).to.equal(201);
      const result = await json(first);
      expect(result.transfer).to.include({ amount: 1500, module: 'ledger', staffId: 'staff-finance-1' });
      expect(result.creditBalanceAfter).to.equal(1500);

      const replay = await call('post', '/v1/ledger/transfers', { body, key });
      expect(replay.status).to.equal(201);
      expect(replay.headers.get('idempotent-replayed')).to.equal('true');
      expect(await json(replay)).to.deep.equal(result);
      await expectProblem(await call('post', '/v1/ledger/transfers', { body: { ...body, amount: 1501 }, key }), 409, 'ERR_IDEMPOTENCY_MISMATCH');

      const account = await json(await call('get', `/v1/ledger/accounts/${purse.id}`));
      expect(account.balance).to.equal(1500);
      const statement = await json(await call('get', `/v1/ledger/accounts/${purse.id}/statement?limit=10`));
      expect(statement.lines.map((l: { amount: number; balanceAfter: number }) => [l.amount, l.balanceAfter])).to.deep.equal([[1500, 1500]]);
      expect(statement.nextCursor).to.equal(null);
    });

    it('reverses a transfer in part through the API and refuses going beyond the original', async () => {
      const { purse, till } = await fundedPurse(db, 1000);
      const sale = await transfer(db, { idempotencyKey: newKey(), debitAccountId: purse.id, creditAccountId: till.id, amount: 400, currency: 'GBP', reason: 'lunch', module: 'catering' });
      const path = `/v1/ledger/transfers/${sale.result.transfer.id}/reversals`;
      const refunded = await call('post', path, { body: { amount: 300, reason: 'cold soup' }, key: newKey() });
      expect(refunded.status).to.equal(201);
      expect((await json(refunded)).creditBalanceAfter).to.equal(900);
      await expectProblem(await call('post', path, { body: { reason: 'again' }, key: newKey() }), 422, 'ERR_REVERSAL_EXCEEDS_ORIGINAL');
      const record = await json(await call('get', `/v1/ledger/transfers/${sale.result.transfer.id}`));
      expect(record).to.include({ amount: 400, reversedAmount: 300 });
      await expectProblem(await call('get', `/v1/ledger/transfers/${randomUUID()}`), 404, 'ERR_TRANSFER_NOT_FOUND');
    });

    describe('bad input is a 4xx problem, never a 500', () => {
      let purseId: string;
      let tillId: string;
      let euroTillId: string;
      before(async () => {
        const { purse, till } = await fundedPurse(db, 100);
        purseId = purse.id;
        tillId = till.id;
        euroTillId = (await openAccount(db, { kind: 'till_takings', currency: 'EUR' })).id;
      });
      const move = (overrides: Record<string, unknown>) => ({ debitAccountId: purseId, creditAccountId: tillId, amount: 10, currency: 'GBP', reason: 'lunch', ...overrides });

      for (const [label, amount] of [
        ['zero', 0],
        ['negative', -10],
        ['fractional', 10.5],
        ['a string', '10'],
        ['beyond the safe range', 9007199254740992],
        ['null', null],
      ] as const) {
        it(`amount ${label}`, async () => {
          await expectProblem(await call('post', '/v1/ledger/transfers', { body: move({ amount }), key: newKey() }), 400, 'ERR_VALIDATION');
        });
      }

      it('an amount too large for JSON numbers to hold exactly', async () => {
        const raw = JSON.stringify(move({})).replace('"amount":10', '"amount":123456789012345678901234567890');
        await expectProblem(await call('post', '/v1/ledger/transfers', { raw, key: newKey() }), 400, 'ERR_VALIDATION');
      });

      it('an unknown account, a malformed one, the same one twice', async () => {
        await expectProblem(await call('post', '/v1/ledger/transfers', { body: move({ creditAccountId: randomUUID() }), key: newKey() }), 404, 'ERR_ACCOUNT_NOT_FOUND');
        await expectProblem(await call('post', '/v1/ledger/transfers', { body: move({ creditAccountId: 'till-1' }), key: newKey() }), 400, 'ERR_VALIDATION');
        await expectProblem(await call('post', '/v1/ledger/transfers', { body: move({ creditAccountId: purseId }), key: newKey() }), 422, 'ERR_SAME_ACCOUNT');
        await expectProblem(await call('get', `/v1/ledger/accounts/${randomUUID()}`), 404, 'ERR_ACCOUNT_NOT_FOUND');
        await expectProblem(await call('get', '/v1/ledger/accounts/not-a-uuid'), 400, 'ERR_VALIDATION');
      });

      it('a currency mismatch and insufficient funds', async () => {
        await expectProblem(await call('post', '/v1/ledger/transfers', { body: move({ creditAccountId: euroTillId }), key: newKey() }), 422, 'ERR_CURRENCY_MISMATCH');
        await expectProblem(await call('post', '/v1/ledger/transfers', { body: move({ currency: 'gbp' }), key: newKey() }), 400, 'ERR_VALIDATION');
        await expectProblem(await call('post', '/v1/ledger/transfers', { body: move({ amount: 101 }), key: newKey() }), 422, 'ERR_INSUFFICIENT_FUNDS');
      });

      it('a missing or malformed Idempotency-Key, unknown fields, a positive floor', async () => {
        await expectProblem(await call('post', '/v1/ledger/transfers', { body: move({}) }), 400, 'ERR_IDEMPOTENCY_KEY_INVALID');
        await expectProblem(await call('post', '/v1/ledger/transfers', { body: move({}), key: 'x'.repeat(256) }), 400, 'ERR_IDEMPOTENCY_KEY_INVALID');
        await expectProblem(await call('post', '/v1/ledger/transfers', { body: move({ module: 'catering' }), key: newKey() }), 400, 'ERR_VALIDATION');
        await expectProblem(await call('post', '/v1/ledger/accounts', { body: { kind: 'purse', floor: 100 } }), 400, 'ERR_VALIDATION');
        await expectProblem(await call('post', '/v1/ledger/accounts', { body: { kind: 'wallet' } }), 400, 'ERR_VALIDATION');
      });

      it('no credentials (401) and a role that may not move money (403)', async () => {
        await expectProblem(await call('post', '/v1/ledger/transfers', { body: move({}), key: newKey(), token: 'nobody' }), 401, 'ERR_UNAUTHENTICATED');
        await expectProblem(await call('post', '/v1/ledger/transfers', { body: move({}), key: newKey(), token: 'catering-token' }), 403, 'ERR_FORBIDDEN');
        await expectProblem(await call('post', '/v1/ledger/transfers', { body: move({}), key: newKey(), token: 'admin-token' }), 403, 'ERR_FORBIDDEN');
        expect((await call('get', `/v1/ledger/accounts/${purseId}`, { token: 'admin-token' })).status).to.equal(200);
      });
    });

    it('lists its operations in /openapi.json with their roles', async () => {
      const document = await json(await fetch(`${platform.baseUrl}/openapi.json`));
      expect(document.paths['/v1/ledger/transfers'].post['x-roles']).to.deep.equal(['finance']);
      expect(document.paths['/v1/ledger/transfers'].post.description).to.match(/Idempotency-Key/);
    });
  });
}
