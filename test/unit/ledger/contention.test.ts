import { expect } from 'chai';
import { withContentionRetry } from '../../../shared/ledger/contention.js';

const pgError = (code: string, constraint?: string) => Object.assign(new Error(`pg ${code}`), { code, constraint });

async function outcome(work: Promise<unknown>): Promise<unknown> {
  try {
    return await work;
  } catch (error) {
    return (error as { code?: string }).code ?? (error as Error).message;
  }
}

describe('ledger: retrying contention', () => {
  it('retries a deadlock or an idempotency-key race and returns the later success', async () => {
    const failures = [pgError('40P01'), pgError('23505', 'ledger_idempotency_pkey')];
    let calls = 0;
    const result = await withContentionRetry(async () => {
      calls += 1;
      const failure = failures.shift();
      if (failure) throw failure;
      return 'done';
    });
    expect(result).to.equal('done');
    expect(calls).to.equal(3);
  });

  it('gives up with ERR_LEDGER_CONTENTION (retry with the same key) after a few attempts', async () => {
    let calls = 0;
    expect(await outcome(withContentionRetry(async () => {
      calls += 1;
      throw pgError('40001');
    }, 3))).to.equal('ERR_LEDGER_CONTENTION');
    expect(calls).to.equal(3);
  });

  it('does not retry other unique violations or ordinary errors', async () => {
    expect(await outcome(withContentionRetry(async () => {
      throw pgError('23505', 'ledger_transfers_pkey');
    }))).to.equal('23505');
    expect(await outcome(withContentionRetry(async () => {
      throw new Error('boom');
    }))).to.equal('boom');
  });

  it('turns an unreachable database into ERR_SERVICE_UNAVAILABLE at once', async () => {
    let calls = 0;
    expect(await outcome(withContentionRetry(async () => {
      calls += 1;
      throw pgError('ECONNREFUSED');
    }))).to.equal('ERR_SERVICE_UNAVAILABLE');
    expect(await outcome(withContentionRetry(async () => {
      throw pgError('57P01');
    }))).to.equal('ERR_SERVICE_UNAVAILABLE');
    expect(calls).to.equal(1);
  });
});
