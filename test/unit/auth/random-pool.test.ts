import { expect } from 'chai';
import { RandomPool } from '../../../services/auth/taps/random-pool.js';

describe('RandomPool', () => {
  it('hands out each byte once, across refills of its block', () => {
    const pool = new RandomPool(64);
    const taken = Array.from({ length: 10 }, () => pool.take(32));
    // 32-byte draws from the CSPRNG never repeat; a pool that re-served a block would.
    expect(new Set(taken.map((b) => b.toString('hex'))).size).to.equal(10);
    expect(taken.every((b) => b.length === 32)).to.equal(true);
  });

  it('gives each caller a copy the pool cannot overwrite later', () => {
    const pool = new RandomPool(32);
    const first = pool.take(32);
    const snapshot = Buffer.from(first);
    pool.take(32); // refills the block
    expect(first.equals(snapshot)).to.equal(true);
  });

  it('refuses a draw larger than its block', () => {
    expect(() => new RandomPool(16).take(17)).to.throw(RangeError);
  });
});
