import { expect } from 'chai';
import { ReaderConduct } from '../../../services/auth/limits/reader-conduct.js';
import { TokenBuckets } from '../../../services/auth/limits/token-buckets.js';

describe('auth: token buckets', () => {
  it('lets a burst through, then refills at the rate', () => {
    const buckets = new TokenBuckets();
    const results = Array.from({ length: 5 }, () => buckets.take('r', 0, 2, 3));
    expect(results).to.deep.equal([true, true, true, false, false]);
    expect(buckets.take('r', 499, 2, 3)).to.equal(false);
    // 0.998 tokens at 499 ms, plus 0.501 s at 2 per second: two tokens at 1000 ms.
    expect([1, 2, 3].map(() => buckets.take('r', 1000, 2, 3))).to.deep.equal([true, true, false]);
  });

  it('keeps keys apart: one empty bucket does not starve another', () => {
    const buckets = new TokenBuckets();
    for (let i = 0; i < 10; i++) buckets.take('flood', 0, 1, 1);
    expect(buckets.take('calm', 0, 1, 1)).to.equal(true);
  });

  it('stays bounded, forgetting the least recently used key', () => {
    const buckets = new TokenBuckets(3);
    for (const key of ['a', 'b', 'c', 'd']) buckets.take(key, 0, 1, 1);
    expect(buckets.size).to.equal(3);
    expect(buckets.take('a', 0, 1, 1)).to.equal(true);
    expect(buckets.take('d', 0, 1, 1)).to.equal(false);
  });
});

describe('auth: reader conduct', () => {
  it('flags after more than the limit of strikes within the window', () => {
    const conduct = new ReaderConduct({ limit: 3, windowMs: 1000 });
    expect([0, 1, 2].map((t) => conduct.strike('r', t))).to.deep.equal([false, false, false]);
    expect(conduct.strike('r', 3)).to.equal(true);
  });

  it('forgets strikes older than the window', () => {
    const conduct = new ReaderConduct({ limit: 2, windowMs: 1000 });
    conduct.strike('r', 0);
    conduct.strike('r', 10);
    expect(conduct.strike('r', 2000)).to.equal(false);
  });
});
